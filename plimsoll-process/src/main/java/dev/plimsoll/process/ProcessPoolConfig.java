package dev.plimsoll.process;

import java.time.Duration;

/**
 * Settings of a {@link ProcessPool}. Build with {@link #builder()}; every setter validates and
 * names the setting and its limit. Defaults are the named constants below.
 *
 * <p>Memory bound of a pool: {@code (maxConcurrency + queueCapacity) × maxStdinBytes} of queued
 * input plus {@code maxConcurrency × (stdoutCap + stderrCap)} of captured output.
 */
public final class ProcessPoolConfig {
  public static final String DEFAULT_NAME = "default";
  public static final int DEFAULT_QUEUE_CAPACITY = 1_000;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  public static final int DEFAULT_OUTPUT_CAP = 1024 * 1024;
  public static final int DEFAULT_MAX_STDIN_BYTES = 1024 * 1024;

  private final String name;
  private final int maxConcurrency;
  private final int queueCapacity;
  private final Duration defaultTimeout;
  private final Duration killGrace;
  private final Duration shutdownGrace;
  private final int stdoutCap;
  private final int stderrCap;
  private final int maxStdinBytes;

  private ProcessPoolConfig(Builder b) {
    this.name = b.name;
    this.maxConcurrency = b.maxConcurrency;
    this.queueCapacity = b.queueCapacity;
    this.defaultTimeout = b.defaultTimeout;
    this.killGrace = b.killGrace;
    this.shutdownGrace = b.shutdownGrace;
    this.stdoutCap = b.stdoutCap;
    this.stderrCap = b.stderrCap;
    this.maxStdinBytes = b.maxStdinBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All defaults: concurrency = number of CPUs. */
  public static ProcessPoolConfig defaults() {
    return builder().build();
  }

  /** Names the pool in errors, thread names, logs and metric tags. */
  public String name() {
    return name;
  }

  /** Child processes running at once; default the number of available processors. */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /** Calls waiting for a free slot; one more is rejected. Default 1,000. */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** Per-call timeout when the request names none. Default 60 s. */
  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  /** Time between TERM and KILL when a process tree is stopped. Default 5 s. */
  public Duration killGrace() {
    return killGrace;
  }

  /** Time running calls get to finish on {@link ProcessPool#close()}. Default 30 s. */
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /** Bytes of stdout kept per call; the rest is read and discarded. Default 1 MiB. */
  public int stdoutCap() {
    return stdoutCap;
  }

  /** Bytes of stderr kept per call. Default 1 MiB. */
  public int stderrCap() {
    return stderrCap;
  }

  /** Largest stdin a request may carry (it is held in memory while queued). Default 1 MiB. */
  public int maxStdinBytes() {
    return maxStdinBytes;
  }

  @Override
  public String toString() {
    return "ProcessPoolConfig{name="
        + name
        + ", maxConcurrency="
        + maxConcurrency
        + ", queueCapacity="
        + queueCapacity
        + ", defaultTimeout="
        + defaultTimeout
        + ", killGrace="
        + killGrace
        + ", shutdownGrace="
        + shutdownGrace
        + ", stdoutCap="
        + stdoutCap
        + ", stderrCap="
        + stderrCap
        + ", maxStdinBytes="
        + maxStdinBytes
        + "}";
  }

  /** Validating builder; each setter throws {@link IllegalArgumentException} naming the setting. */
  public static final class Builder {
    private String name = DEFAULT_NAME;
    private int maxConcurrency = Runtime.getRuntime().availableProcessors();
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private Duration defaultTimeout = DEFAULT_TIMEOUT;
    private Duration killGrace = DEFAULT_KILL_GRACE;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private int stdoutCap = DEFAULT_OUTPUT_CAP;
    private int stderrCap = DEFAULT_OUTPUT_CAP;
    private int maxStdinBytes = DEFAULT_MAX_STDIN_BYTES;

    private Builder() {}

    public Builder name(String name) {
      this.name = Checks.poolName(name);
      return this;
    }

    public Builder maxConcurrency(int maxConcurrency) {
      this.maxConcurrency = Checks.range("maxConcurrency", maxConcurrency, 1, 1024);
      return this;
    }

    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = Checks.range("queueCapacity", queueCapacity, 0, 1_000_000);
      return this;
    }

    public Builder defaultTimeout(Duration defaultTimeout) {
      this.defaultTimeout = Checks.positive("defaultTimeout", defaultTimeout);
      return this;
    }

    public Builder killGrace(Duration killGrace) {
      this.killGrace = Checks.notNegative("killGrace", killGrace);
      return this;
    }

    public Builder shutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = Checks.notNegative("shutdownGrace", shutdownGrace);
      return this;
    }

    public Builder stdoutCap(int bytes) {
      this.stdoutCap = Checks.range("stdoutCap", bytes, 0, Checks.MAX_BUFFER);
      return this;
    }

    public Builder stderrCap(int bytes) {
      this.stderrCap = Checks.range("stderrCap", bytes, 0, Checks.MAX_BUFFER);
      return this;
    }

    public Builder maxStdinBytes(int bytes) {
      this.maxStdinBytes = Checks.range("maxStdinBytes", bytes, 0, Checks.MAX_BUFFER);
      return this;
    }

    public ProcessPoolConfig build() {
      return new ProcessPoolConfig(this);
    }
  }
}
