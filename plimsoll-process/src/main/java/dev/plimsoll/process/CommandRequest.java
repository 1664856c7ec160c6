package dev.plimsoll.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One command for a {@link ProcessPool}: argv (no shell unless you run one), optional stdin bytes,
 * environment additions, working directory and timeout. Immutable.
 */
public final class CommandRequest {
  private final List<String> argv;
  private final byte[] stdin;
  private final Map<String, String> env;
  private final boolean inheritEnvironment;
  private final Path cwd;
  private final Duration timeout;

  private CommandRequest(Builder b) {
    this.argv = List.copyOf(b.argv);
    this.stdin = b.stdin;
    this.env = Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
    this.inheritEnvironment = b.inheritEnvironment;
    this.cwd = b.cwd;
    this.timeout = b.timeout;
  }

  /** A request for {@code argv} with every other setting at its default. */
  public static CommandRequest of(String... argv) {
    return builder(argv).build();
  }

  public static Builder builder(String... argv) {
    return builder(Arrays.asList(argv));
  }

  public static Builder builder(List<String> argv) {
    return new Builder(argv);
  }

  public List<String> argv() {
    return argv;
  }

  /** Bytes written to the child's stdin, then closed; empty means stdin is closed at once. */
  public byte[] stdin() {
    return stdin.clone();
  }

  int stdinLength() {
    return stdin.length;
  }

  byte[] stdinUnsafe() {
    return stdin;
  }

  /** Variables set (or replaced) in the child's environment. */
  public Map<String, String> env() {
    return env;
  }

  /** Whether the child starts from the JVM's environment (default) or from an empty one. */
  public boolean inheritEnvironment() {
    return inheritEnvironment;
  }

  public Optional<Path> cwd() {
    return Optional.ofNullable(cwd);
  }

  /** The timeout of this call, or empty for the pool's default. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  @Override
  public String toString() {
    return "CommandRequest" + argv;
  }

  /** Validating builder. */
  public static final class Builder {
    private final List<String> argv;
    private byte[] stdin = new byte[0];
    private final Map<String, String> env = new LinkedHashMap<>();
    private boolean inheritEnvironment = true;
    private Path cwd;
    private Duration timeout;

    private Builder(List<String> argv) {
      Objects.requireNonNull(argv, "argv");
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("argv must name a program, was empty");
      }
      List<String> copy = new ArrayList<>(argv.size());
      for (int i = 0; i < argv.size(); i++) {
        String arg = argv.get(i);
        if (arg == null) {
          throw new IllegalArgumentException("argv[" + i + "] must not be null");
        }
        if (arg.indexOf('\0') >= 0) {
          throw new IllegalArgumentException("argv[" + i + "] must not contain a NUL character");
        }
        copy.add(arg);
      }
      if (copy.get(0).isEmpty()) {
        throw new IllegalArgumentException("argv[0] must name a program, was empty");
      }
      this.argv = copy;
    }

    public Builder stdin(byte[] stdin) {
      this.stdin = Objects.requireNonNull(stdin, "stdin").clone();
      return this;
    }

    public Builder stdin(String stdin) {
      return stdin(Objects.requireNonNull(stdin, "stdin").getBytes(StandardCharsets.UTF_8));
    }

    public Builder env(String name, String value) {
      Checks.envVar(name, value);
      env.put(name, value);
      return this;
    }

    public Builder env(Map<String, String> vars) {
      vars.forEach(this::env);
      return this;
    }

    public Builder inheritEnvironment(boolean inherit) {
      this.inheritEnvironment = inherit;
      return this;
    }

    public Builder cwd(Path cwd) {
      this.cwd = Objects.requireNonNull(cwd, "cwd");
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = Checks.positive("timeout", timeout);
      return this;
    }

    public CommandRequest build() {
      return new CommandRequest(this);
    }
  }
}
