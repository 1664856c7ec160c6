package dev.plimsoll.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a {@link WorkerPool}. Build with {@link #builder(List)} naming the worker command;
 * every setter validates and names the setting and its limit.
 *
 * <p>Memory bound: {@code queueCapacity × maxPayloadBytes} of queued payloads, plus per worker one
 * response line of at most {@code maxResponseBytes} and a 4 KiB stderr tail.
 */
public final class WorkerPoolConfig {
  public static final String DEFAULT_NAME = "workers";
  public static final int DEFAULT_QUEUE_CAPACITY = 1_000;
  public static final Duration DEFAULT_TASK_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_TASKS_PER_WORKER = 10_000;
  public static final long DEFAULT_MAX_MEMORY_BYTES = 1024L * 1024 * 1024;
  public static final Duration DEFAULT_MEMORY_CHECK_INTERVAL = Duration.ofMillis(500);
  public static final Duration DEFAULT_RESTART_BACKOFF = Duration.ofMillis(100);
  public static final Duration DEFAULT_MAX_RESTART_BACKOFF = Duration.ofSeconds(30);
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path cwd;
  private final int workers;
  private final int queueCapacity;
  private final Duration taskTimeout;
  private final int maxTasksPerWorker;
  private final long maxMemoryBytes;
  private final Duration memoryCheckInterval;
  private final Duration restartBackoff;
  private final Duration maxRestartBackoff;
  private final Duration killGrace;
  private final Duration shutdownGrace;
  private final int maxPayloadBytes;
  private final int maxResponseBytes;
  private final ResidentMemoryProbe memoryProbe;

  private WorkerPoolConfig(Builder b) {
    this.name = b.name;
    this.command = b.command;
    this.env = Map.copyOf(b.env);
    this.cwd = b.cwd;
    this.workers = b.workers;
    this.queueCapacity = b.queueCapacity;
    this.taskTimeout = b.taskTimeout;
    this.maxTasksPerWorker = b.maxTasksPerWorker;
    this.maxMemoryBytes = b.maxMemoryBytes;
    this.memoryCheckInterval = b.memoryCheckInterval;
    this.restartBackoff = b.restartBackoff;
    this.maxRestartBackoff = b.maxRestartBackoff;
    this.killGrace = b.killGrace;
    this.shutdownGrace = b.shutdownGrace;
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.maxResponseBytes = b.maxResponseBytes;
    this.memoryProbe = b.memoryProbe;
  }

  /** A builder for workers started with {@code command} (e.g. {@code python3 worker.py}). */
  public static Builder builder(List<String> command) {
    return new Builder(command);
  }

  public static Builder builder(String... command) {
    return builder(List.of(command));
  }

  public String name() {
    return name;
  }

  public List<String> command() {
    return command;
  }

  /** Variables added to the inherited environment of every worker. */
  public Map<String, String> env() {
    return env;
  }

  public Optional<Path> cwd() {
    return Optional.ofNullable(cwd);
  }

  /** Worker processes (and so tasks running) at most; default the number of CPUs. */
  public int workers() {
    return workers;
  }

  /** Tasks waiting for a worker; one more is rejected. Default 1,000. */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** Time a worker has to answer one task before it is stopped. Default 60 s. */
  public Duration taskTimeout() {
    return taskTimeout;
  }

  /** A worker is recycled after this many tasks (Celery's worker_max_tasks_per_child). */
  public int maxTasksPerWorker() {
    return maxTasksPerWorker;
  }

  /**
   * Resident memory limit of a worker (Celery's worker_max_memory_per_child): above it during a
   * task the worker is killed and the task fails; above it between tasks it is recycled. Default 1
   * GiB.
   */
  public long maxMemoryBytes() {
    return maxMemoryBytes;
  }

  /** How often a busy worker's memory is read. Default 500 ms. */
  public Duration memoryCheckInterval() {
    return memoryCheckInterval;
  }

  /** Delay before restarting after the first crash; doubles per consecutive crash. */
  public Duration restartBackoff() {
    return restartBackoff;
  }

  public Duration maxRestartBackoff() {
    return maxRestartBackoff;
  }

  /** Time between closing stdin/TERM and KILL when a worker is stopped. Default 5 s. */
  public Duration killGrace() {
    return killGrace;
  }

  /** Time running tasks get to finish on {@link WorkerPool#close()}. Default 30 s. */
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /** Largest task payload (compact JSON, UTF-16 chars). Default 1 MiB. */
  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /** Longest response line a worker may write; longer kills the worker. Default 1 MiB. */
  public int maxResponseBytes() {
    return maxResponseBytes;
  }

  public ResidentMemoryProbe memoryProbe() {
    return memoryProbe;
  }

  /** Validating builder; each setter throws {@link IllegalArgumentException} naming the setting. */
  public static final class Builder {
    private String name = DEFAULT_NAME;
    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path cwd;
    private int workers = Runtime.getRuntime().availableProcessors();
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private Duration taskTimeout = DEFAULT_TASK_TIMEOUT;
    private int maxTasksPerWorker = DEFAULT_MAX_TASKS_PER_WORKER;
    private long maxMemoryBytes = DEFAULT_MAX_MEMORY_BYTES;
    private Duration memoryCheckInterval = DEFAULT_MEMORY_CHECK_INTERVAL;
    private Duration restartBackoff = DEFAULT_RESTART_BACKOFF;
    private Duration maxRestartBackoff = DEFAULT_MAX_RESTART_BACKOFF;
    private Duration killGrace = DEFAULT_KILL_GRACE;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private int maxPayloadBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private int maxResponseBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private ResidentMemoryProbe memoryProbe = ResidentMemoryProbe.procfs();

    private Builder(List<String> command) {
      // CommandRequest's checks name the bad element of argv.
      this.command = CommandRequest.builder(command).build().argv();
    }

    public Builder name(String name) {
      this.name = Checks.poolName(name);
      return this;
    }

    public Builder env(String name, String value) {
      Checks.envVar(name, value);
      env.put(name, value);
      return this;
    }

    public Builder cwd(Path cwd) {
      this.cwd = Objects.requireNonNull(cwd, "cwd");
      return this;
    }

    public Builder workers(int workers) {
      this.workers = Checks.range("workers", workers, 1, 1024);
      return this;
    }

    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = Checks.range("queueCapacity", queueCapacity, 1, 1_000_000);
      return this;
    }

    public Builder taskTimeout(Duration taskTimeout) {
      this.taskTimeout = Checks.positive("taskTimeout", taskTimeout);
      return this;
    }

    public Builder maxTasksPerWorker(int maxTasks) {
      this.maxTasksPerWorker = Checks.range("maxTasksPerWorker", maxTasks, 1, Integer.MAX_VALUE);
      return this;
    }

    public Builder maxMemoryBytes(long bytes) {
      this.maxMemoryBytes = Checks.range("maxMemoryBytes", bytes, 1024L * 1024, Long.MAX_VALUE);
      return this;
    }

    public Builder memoryCheckInterval(Duration interval) {
      this.memoryCheckInterval = Checks.positive("memoryCheckInterval", interval);
      return this;
    }

    public Builder restartBackoff(Duration initial, Duration max) {
      Checks.notNegative("restartBackoff", initial);
      Checks.notNegative("maxRestartBackoff", max);
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "maxRestartBackoff must be >= restartBackoff (" + initial + "), was " + max);
      }
      this.restartBackoff = initial;
      this.maxRestartBackoff = max;
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

    public Builder maxPayloadBytes(int bytes) {
      this.maxPayloadBytes = Checks.range("maxPayloadBytes", bytes, 16, Checks.MAX_BUFFER);
      return this;
    }

    public Builder maxResponseBytes(int bytes) {
      this.maxResponseBytes = Checks.range("maxResponseBytes", bytes, 16, Checks.MAX_BUFFER);
      return this;
    }

    public Builder memoryProbe(ResidentMemoryProbe probe) {
      this.memoryProbe = Objects.requireNonNull(probe, "memoryProbe");
      return this;
    }

    public WorkerPoolConfig build() {
      return new WorkerPoolConfig(this);
    }
  }
}
