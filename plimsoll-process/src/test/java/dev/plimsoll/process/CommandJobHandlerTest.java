package dev.plimsoll.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.JobContext;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobOutcome;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.NonRetryableException;
import dev.plimsoll.SettableClock;
import dev.plimsoll.process.CommandJobHandler.CommandFailedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftovers.class)
class CommandJobHandlerTest {
  private final SettableClock clock = SettableClock.atFixedStart();
  private final ProcessPool pool =
      ProcessPool.create(
          ProcessPoolConfig.builder()
              .name("jobs")
              .maxConcurrency(2)
              .killGrace(Duration.ofMillis(300))
              .build());
  private final CommandJobHandler handler = new CommandJobHandler(pool, clock);

  @AfterEach
  void closePool() {
    pool.close();
  }

  private JobContext context(String payload, Instant deadline) {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return new JobContext() {
      @Override
      public JobId id() {
        return JobId.parse("00000000000000000000000000");
      }

      @Override
      public String type() {
        return CommandJobHandler.TYPE;
      }

      @Override
      public String queue() {
        return "default";
      }

      @Override
      public String owner() {
        return null;
      }

      @Override
      public byte[] payload() {
        return bytes;
      }

      @Override
      public int attempt() {
        return 1;
      }

      @Override
      public int maxAttempts() {
        return 3;
      }

      @Override
      public Instant deadline() {
        return deadline;
      }

      @Override
      public boolean isCancelled() {
        return false;
      }
    };
  }

  private byte[] handle(String payload) throws Exception {
    return handler.handle(context(payload, clock.instant().plusSeconds(60)));
  }

  @Test
  void aSuccessfulCommandReturnsItsStdoutAsTheResult() throws Exception {
    byte[] result =
        handle(
            "{\"argv\":[\"sh\",\"-c\",\"cat; printf ' %s' \\\"$WHO\\\"\"],\"stdin\":\"hello\","
                + "\"env\":{\"WHO\":\"world\"},\"cwd\":\"/tmp\",\"timeoutMillis\":10000}");
    assertThat(new String(result, StandardCharsets.UTF_8)).isEqualTo("hello world");
  }

  @Test
  void aNonZeroExitFailsTheAttemptWithTheExitCodeAndStderr() {
    assertThatThrownBy(() -> handle("{\"argv\":[\"sh\",\"-c\",\"echo broken >&2; exit 4\"]}"))
        .isInstanceOf(CommandFailedException.class)
        .hasMessage("sh exited with code 4; stderr: broken")
        .satisfies(e -> assertThat(((CommandFailedException) e).result().exitCode()).isEqualTo(4));
  }

  @Test
  void theAttemptDeadlineBoundsTheCommandTimeout() {
    // 400 ms left until the deadline, although the payload allows a minute.
    JobContext ctx =
        context(
            "{\"argv\":[\"sleep\",\"30\"],\"timeoutMillis\":60000}",
            clock.instant().plusMillis(400));
    assertThatThrownBy(() -> handler.handle(ctx))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("sleep timed out after")
        .satisfies(
            e ->
                assertThat(((CommandFailedException) e).result().duration())
                    .isLessThan(Duration.ofSeconds(5)));
  }

  @Test
  void aBadPayloadIsNonRetryableAndNamesTheField() {
    assertThatThrownBy(() -> handle("{\"argv\":\"echo hi\"}"))
        .isInstanceOf(NonRetryableException.class)
        .hasMessage("invalid command payload: argv must be a non-empty array of strings");
    assertThatThrownBy(() -> handle("{\"argv\":[]}"))
        .isInstanceOf(NonRetryableException.class)
        .hasMessage("invalid command payload: argv must name a program, was empty");
    assertThatThrownBy(() -> handle("{\"argv\":[\"true\"],\"timeoutMillis\":0}"))
        .hasMessage("invalid command payload: timeoutMillis must be between 1 and 86400000, was 0");
    assertThatThrownBy(() -> handle("{\"argv\":[\"true\"],\"env\":{\"A\":1}}"))
        .hasMessage("invalid command payload: env.A must be a string");
    assertThatThrownBy(() -> handle("{\"argv\":[\"true\"],\"cwd\":\"relative\"}"))
        .hasMessage("invalid command payload: cwd must be an absolute path, was 'relative'");
    assertThatThrownBy(() -> handle("{\"argv\":[\"true\"],\"shell\":true}"))
        .isInstanceOf(NonRetryableException.class)
        .hasMessageStartingWith("invalid command payload: unknown field 'shell'");
    assertThatThrownBy(() -> handle("{\"stdin\":\"x\"}"))
        .hasMessage("invalid command payload: argv is required: a non-empty array of strings");
    assertThatThrownBy(() -> handle("{\"argv\":[\"true\"]"))
        .isInstanceOf(NonRetryableException.class)
        .hasMessageStartingWith("invalid command payload: payload is not valid JSON");
    assertThat(pool.stats().totalQueued()).isZero();
  }

  @Test
  void theEngineRunsCommandJobsThroughThePool() throws Exception {
    try (JobEngine engine =
        JobEngine.builder()
            .handler(CommandJobHandler.TYPE, new CommandJobHandler(pool))
            .maxAttempts(1)
            .start()) {
      JobId ok =
          engine.submit(
              JobRequest.of(
                  CommandJobHandler.TYPE,
                  "{\"argv\":[\"echo\",\"from the engine\"]}".getBytes(StandardCharsets.UTF_8)));
      JobId failing =
          engine.submit(
              JobRequest.of(
                  CommandJobHandler.TYPE,
                  "{\"argv\":[\"sh\",\"-c\",\"exit 9\"]}".getBytes(StandardCharsets.UTF_8)));
      JobId invalid =
          engine.submit(
              JobRequest.of(CommandJobHandler.TYPE, "{}".getBytes(StandardCharsets.UTF_8)));

      JobOutcome done = engine.completion(ok).get(30, TimeUnit.SECONDS);
      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(new String(done.result(), StandardCharsets.UTF_8)).isEqualTo("from the engine\n");
      JobOutcome dead = engine.completion(failing).get(30, TimeUnit.SECONDS);
      assertThat(dead.state()).isEqualTo(JobState.DEAD);
      assertThat(dead.error()).contains("sh exited with code 9");
      JobOutcome rejected = engine.completion(invalid).get(30, TimeUnit.SECONDS);
      assertThat(rejected.state()).isEqualTo(JobState.DEAD);
      assertThat(rejected.error()).contains("argv is required");
    }
    assertThat(pool.stats().totalProcessed()).isEqualTo(2);
  }
}
