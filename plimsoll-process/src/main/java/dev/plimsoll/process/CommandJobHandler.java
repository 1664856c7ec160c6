package dev.plimsoll.process;

import dev.plimsoll.JobContext;
import dev.plimsoll.JobHandler;
import dev.plimsoll.NonRetryableException;
import dev.plimsoll.process.internal.CommandPayload;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code command} job type: the payload is a JSON object naming the command, which runs through
 * a {@link ProcessPool}. Exit code 0 returns stdout as the result; any other outcome fails the
 * attempt with a {@link CommandFailedException} (retryable). A payload that cannot be parsed fails
 * with {@link NonRetryableException} naming the field.
 *
 * <pre>{"argv":["sh","-c","echo hi"],   required, non-empty
 *  "stdin":"text",                      optional, UTF-8
 *  "env":{"NAME":"value"},              optional, added to the inherited environment
 *  "inheritEnv":true,                   optional, false starts from an empty environment
 *  "cwd":"/absolute/dir",               optional
 *  "timeoutMillis":5000}                optional, else the pool default</pre>
 *
 * <p>The attempt's deadline also bounds the command: the timeout used is the smaller of the
 * payload's (or pool's) timeout and the time left until {@link JobContext#deadline()}.
 */
public final class CommandJobHandler implements JobHandler {
  /** The job type name the engine and server register this handler under. */
  public static final String TYPE = "command";

  private static final int ERROR_TAIL = 2048;
  private final ProcessPool pool;
  private final Clock clock;

  public CommandJobHandler(ProcessPool pool, Clock clock) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public CommandJobHandler(ProcessPool pool) {
    this(pool, Clock.systemUTC());
  }

  @Override
  public byte[] handle(JobContext context) throws Exception {
    CommandRequest request;
    try {
      request = CommandPayload.parse(context.payload());
    } catch (IllegalArgumentException e) {
      throw new NonRetryableException("invalid command payload: " + e.getMessage());
    }
    Duration timeout = request.timeout().orElse(pool.config().defaultTimeout());
    if (context.deadline() != null) {
      Duration left = Duration.between(clock.instant(), context.deadline());
      if (left.compareTo(timeout) < 0) {
        timeout = left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
      }
    }
    request = withTimeout(request, timeout);
    CommandResult result;
    try {
      result = pool.run(request);
    } catch (IllegalArgumentException e) {
      throw new NonRetryableException("invalid command payload: " + e.getMessage());
    }
    if (result.succeeded()) {
      return result.stdout();
    }
    throw new CommandFailedException(describe(request, result), result);
  }

  private static CommandRequest withTimeout(CommandRequest r, Duration timeout) {
    CommandRequest.Builder b =
        CommandRequest.builder(r.argv())
            .stdin(r.stdin())
            .env(r.env())
            .inheritEnvironment(r.inheritEnvironment())
            .timeout(timeout);
    r.cwd().ifPresent(b::cwd);
    return b.build();
  }

  private static String describe(CommandRequest request, CommandResult result) {
    String what =
        result.timedOut()
            ? "timed out after " + result.duration().toMillis() + " ms"
            : "exited with code " + result.exitCode();
    String stderr = result.stderrText();
    if (stderr.length() > ERROR_TAIL) {
      stderr = "..." + stderr.substring(stderr.length() - ERROR_TAIL);
    }
    return request.argv().get(0)
        + " "
        + what
        + (stderr.isBlank() ? "" : "; stderr: " + stderr.strip());
  }

  /** A command ended other than with exit code 0; carries its result. */
  public static final class CommandFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient CommandResult result;

    public CommandFailedException(String message, CommandResult result) {
      super(message);
      this.result = result;
    }

    public CommandResult result() {
      return result;
    }
  }
}
