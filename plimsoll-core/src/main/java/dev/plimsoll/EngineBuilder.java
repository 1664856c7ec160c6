package dev.plimsoll;

import dev.plimsoll.internal.engine.Engine;
import dev.plimsoll.internal.engine.EngineSettings;
import dev.plimsoll.memory.InMemoryJobStore;
import dev.plimsoll.spi.JobStore;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * Configures a {@link JobEngine}. Every setter validates its argument at once and names the setting
 * and its limit when it refuses; defaults are the spec's (named constants below). Configuration is
 * frozen by {@link #build()}.
 */
public final class EngineBuilder {
  public static final int DEFAULT_CONCURRENCY = 10;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_RESULT_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_ERROR_CHARS = 8 * 1024;
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
  public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofSeconds(60);
  public static final int DEFAULT_PURGE_BATCH = 1_000;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STUCK_GRACE = Duration.ofSeconds(5);
  public static final String DEFAULT_QUEUE = "default";
  public static final int DEFAULT_MAX_PARKED_CLAIMS = 1_000;
  public static final int DEFAULT_MAX_REMOTE_LEASES = 10_000;

  /** Names of queues and types: letters, digits and {@code . _ : -}, 1 to 128 characters. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private JobStore store;
  private boolean ownsStore = true;
  private Clock clock = Clock.systemUTC();
  private int concurrency = DEFAULT_CONCURRENCY;
  private final Map<String, Integer> typeConcurrency = new LinkedHashMap<>();
  private final Map<String, QueueConfig> queues = new LinkedHashMap<>();
  private QueueConfig defaultQueueConfig;
  private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
  private boolean acceptTypesWithoutHandler;
  private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
  private Duration timeout = DEFAULT_TIMEOUT;
  private BackoffPolicy backoff = BackoffPolicy.DEFAULT;
  private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();
  private RetentionPolicy finishedRetention = RetentionPolicy.FINISHED_DEFAULT;
  private RetentionPolicy deadRetention = RetentionPolicy.DEAD_DEFAULT;
  private int maxResultBytes = DEFAULT_MAX_RESULT_BYTES;
  private int maxErrorChars = DEFAULT_MAX_ERROR_CHARS;
  private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
  private BreakerConfig breaker = BreakerConfig.DEFAULT;
  private Duration maintenanceInterval = DEFAULT_MAINTENANCE_INTERVAL;
  private int purgeBatch = DEFAULT_PURGE_BATCH;
  private final List<JobListener> listeners = new ArrayList<>();
  private HealthRules healthRules = HealthRules.DEFAULT;
  private PressureSignal pressure;
  private ShutdownMode shutdownMode = ShutdownMode.DRAIN;
  private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
  private String nodeId;
  private Duration lease = DEFAULT_LEASE;
  private WorkerThreads workerThreads = WorkerThreads.PLATFORM;
  private Duration stuckGrace = DEFAULT_STUCK_GRACE;
  private int maxQueues = 100;
  private int maxTypes = 1_000;
  private int maxWaiters = 100_000;
  private int maxOpenScopes = 10_000;
  private int maxTasksPerScope = 1_000;
  private int scopeTaskCapacity = 10_000;
  private int claimBatch = 64;
  private int submitBatch = 256;
  private Duration pollInterval = Duration.ofSeconds(1);
  private int maxBuffers = 1_000;
  private int maxParkedClaims = DEFAULT_MAX_PARKED_CLAIMS;
  private int maxRemoteLeases = DEFAULT_MAX_REMOTE_LEASES;

  EngineBuilder() {}

  /** The store (default: a new {@link InMemoryJobStore}). */
  public EngineBuilder store(JobStore store) {
    this.store = Objects.requireNonNull(store, "store");
    return this;
  }

  /** Whether closing the engine closes the store (default true). */
  public EngineBuilder ownsStore(boolean owns) {
    this.ownsStore = owns;
    return this;
  }

  /** The clock for every timestamp, delay, lease and TTL (default UTC system clock). */
  public EngineBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Global concurrency: the number of workers, 1 to 10,000 (default 10). */
  public EngineBuilder concurrency(int workers) {
    this.concurrency = range("concurrency", workers, 1, 10_000);
    return this;
  }

  /** At most {@code limit} attempts of {@code type} at once, within the global concurrency. */
  public EngineBuilder typeConcurrency(String type, int limit) {
    typeConcurrency.put(name("type", type), range("typeConcurrency", limit, 1, 10_000));
    return this;
  }

  /** Registers a queue with its bounds. Unregistered queues get {@link #defaultQueue}. */
  public EngineBuilder queue(String name, QueueConfig config) {
    queues.put(name("queue", name), Objects.requireNonNull(config, "config"));
    return this;
  }

  /**
   * Bounds of every queue not registered with {@link #queue} (default: 10,000 REJECT in memory,
   * 1,000,000 REJECT for a durable store).
   */
  public EngineBuilder defaultQueue(QueueConfig config) {
    this.defaultQueueConfig = Objects.requireNonNull(config, "config");
    return this;
  }

  /** Runs jobs of {@code type} with {@code handler}. */
  public EngineBuilder handler(String type, JobHandler handler) {
    String t = name("type", type);
    if (handlers.containsKey(t)) {
      throw new IllegalArgumentException("handler for type '" + t + "' is already registered");
    }
    handlers.put(t, Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /**
   * Accept jobs of types with no handler here (for remote workers); default false, which rejects
   * them at submission.
   */
  public EngineBuilder acceptTypesWithoutHandler(boolean accept) {
    this.acceptTypesWithoutHandler = accept;
    return this;
  }

  /** Default attempts per job, 1 to 1,000 (default 3). */
  public EngineBuilder maxAttempts(int attempts) {
    this.maxAttempts = range("maxAttempts", attempts, 1, 1_000);
    return this;
  }

  /** Default attempt timeout, 1 ms to 24 h (default 30 s). */
  public EngineBuilder timeout(Duration timeout) {
    this.timeout = duration("timeout", timeout, Duration.ofMillis(1), Duration.ofHours(24));
    return this;
  }

  public EngineBuilder backoff(BackoffPolicy backoff) {
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    return this;
  }

  /** The source of jitter in [0, 1) (default: thread-local random); fix it in tests. */
  public EngineBuilder jitter(DoubleSupplier jitter) {
    this.jitter = Objects.requireNonNull(jitter, "jitter");
    return this;
  }

  /** Retention of succeeded and cancelled jobs (default 1 h, at most 10,000). */
  public EngineBuilder retention(RetentionPolicy policy) {
    this.finishedRetention = Objects.requireNonNull(policy, "retention");
    return this;
  }

  /** Retention of dead jobs (default 14 days, at most 10,000). */
  public EngineBuilder deadRetention(RetentionPolicy policy) {
    this.deadRetention = Objects.requireNonNull(policy, "deadRetention");
    return this;
  }

  /** Stored result cap in bytes, 0 to 16 MiB (default 64 KiB); longer results are truncated. */
  public EngineBuilder maxResultBytes(int bytes) {
    this.maxResultBytes = range("maxResultBytes", bytes, 0, 16 * 1024 * 1024);
    return this;
  }

  /** Stored error text cap in characters, 64 to 1 Mi (default 8 Ki). */
  public EngineBuilder maxErrorChars(int chars) {
    this.maxErrorChars = range("maxErrorChars", chars, 64, 1024 * 1024);
    return this;
  }

  /** Largest accepted payload in bytes, 0 to 64 MiB (default 1 MiB). */
  public EngineBuilder maxPayloadBytes(int bytes) {
    this.maxPayloadBytes = range("maxPayloadBytes", bytes, 0, 64 * 1024 * 1024);
    return this;
  }

  /** Per-type circuit breaker (default: on, 50 % of the last 20, min 10, open 30 s). */
  public EngineBuilder breaker(BreakerConfig config) {
    this.breaker = Objects.requireNonNull(config, "breaker");
    return this;
  }

  /** How often retention runs, 10 ms to 1 h (default 60 s). */
  public EngineBuilder maintenanceInterval(Duration interval) {
    this.maintenanceInterval =
        duration("maintenanceInterval", interval, Duration.ofMillis(10), Duration.ofHours(1));
    return this;
  }

  /** Rows per retention batch, 1 to 100,000 (default 1,000). */
  public EngineBuilder purgeBatch(int rows) {
    this.purgeBatch = range("purgeBatch", rows, 1, 100_000);
    return this;
  }

  public EngineBuilder listener(JobListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  public EngineBuilder healthRules(HealthRules rules) {
    this.healthRules = Objects.requireNonNull(rules, "healthRules");
    return this;
  }

  /**
   * Installs a source of back-pressure (the memory watchdog): while it reports a shed reason, new
   * submissions fail with {@link MemoryPressureException}; its health reasons replace the raw
   * heap-use rule of {@link HealthRules}. None by default.
   */
  public EngineBuilder pressure(PressureSignal signal) {
    this.pressure = Objects.requireNonNull(signal, "pressure");
    return this;
  }

  /** What {@link JobEngine#close()} does (default DRAIN with a 30 s grace period). */
  public EngineBuilder shutdown(ShutdownMode mode, Duration grace) {
    this.shutdownMode = Objects.requireNonNull(mode, "shutdownMode");
    this.shutdownGrace = duration("shutdownGrace", grace, Duration.ZERO, Duration.ofHours(1));
    return this;
  }

  /** This node's name in leases (default: pid@host). */
  public EngineBuilder nodeId(String id) {
    this.nodeId = name("nodeId", id);
    return this;
  }

  /** Lease of a claimed job in a store with leases, 1 s to 1 h (default 30 s). */
  public EngineBuilder lease(Duration lease) {
    this.lease = duration("lease", lease, Duration.ofSeconds(1), Duration.ofHours(1));
    return this;
  }

  public EngineBuilder workerThreads(WorkerThreads kind) {
    if (kind == WorkerThreads.VIRTUAL && Runtime.version().feature() < 21) {
      throw new IllegalArgumentException(
          "workerThreads VIRTUAL needs Java 21 or newer; this is Java "
              + Runtime.version().feature());
    }
    this.workerThreads = Objects.requireNonNull(kind, "workerThreads");
    return this;
  }

  /**
   * How long an attempt may ignore interruption after its timeout before it is reported as a stuck
   * worker, 0 to 1 h (default 5 s).
   */
  public EngineBuilder stuckGrace(Duration grace) {
    this.stuckGrace = duration("stuckGrace", grace, Duration.ZERO, Duration.ofHours(1));
    return this;
  }

  /** Most distinct queues (default 100). */
  public EngineBuilder maxQueues(int n) {
    this.maxQueues = range("maxQueues", n, 1, 100_000);
    return this;
  }

  /** Most distinct types accepted without a handler (default 1,000). */
  public EngineBuilder maxTypes(int n) {
    this.maxTypes = range("maxTypes", n, 1, 100_000);
    return this;
  }

  /** Most pending {@link JobEngine#completion} futures (default 100,000). */
  public EngineBuilder maxWaiters(int n) {
    this.maxWaiters = range("maxWaiters", n, 0, 10_000_000);
    return this;
  }

  /** Most open scopes (default 10,000). */
  public EngineBuilder maxOpenScopes(int n) {
    this.maxOpenScopes = range("maxOpenScopes", n, 1, 10_000_000);
    return this;
  }

  /** Most queued or running tasks per scope (default 1,000). */
  public EngineBuilder maxTasksPerScope(int n) {
    this.maxTasksPerScope = range("maxTasksPerScope", n, 1, 10_000_000);
    return this;
  }

  /** Capacity of the engine's queue of scope tasks across scopes (default 10,000). */
  public EngineBuilder scopeTaskCapacity(int n) {
    this.scopeTaskCapacity = range("scopeTaskCapacity", n, 1, 10_000_000);
    return this;
  }

  /** Most jobs a worker claims at once, 1 to 1,000 (default 64). */
  public EngineBuilder claimBatch(int n) {
    this.claimBatch = range("claimBatch", n, 1, 1_000);
    return this;
  }

  /**
   * Most concurrent single {@link JobEngine#submit} calls combined into one store insert (group
   * commit) on a durable store, 1 to 1,000 (default 256); 1 disables combining (the in-memory store
   * never combines: its insert is cheaper than the hand-off). A submit that finds no insert in
   * progress goes straight to the store; those arriving during an insert share the next one, and
   * each caller still gets exactly its own outcome.
   */
  public EngineBuilder submitBatch(int n) {
    this.submitBatch = range("submitBatch", n, 1, 1_000);
    return this;
  }

  /**
   * Fallback poll of a store that may get work from elsewhere, 1 ms to 1 min (default 1 s);
   * wake-ups from the store (LISTEN/NOTIFY, blocking pops) come sooner.
   */
  public EngineBuilder pollInterval(Duration interval) {
    this.pollInterval =
        duration("pollInterval", interval, Duration.ofMillis(1), Duration.ofMinutes(1));
    return this;
  }

  /**
   * Most remote claims waiting at once for jobs (long-poll), 1 to 1,000,000 (default 1,000); a
   * further one fails with {@link CapacityExceededException}. A waiting claim holds no thread.
   */
  public EngineBuilder maxParkedClaims(int n) {
    this.maxParkedClaims = range("maxParkedClaims", n, 1, 1_000_000);
    return this;
  }

  /**
   * Most jobs held by remote workers at once, 1 to 10,000,000 (default 10,000); a claim beyond it
   * fails with {@link CapacityExceededException} (a waiting one waits on).
   */
  public EngineBuilder maxRemoteLeases(int n) {
    this.maxRemoteLeases = range("maxRemoteLeases", n, 1, 10_000_000);
    return this;
  }

  /** Builds and starts the engine. */
  public JobEngine start() {
    return build().start();
  }

  /** Builds the engine without starting it. */
  public JobEngine build() {
    JobStore s = store != null ? store : new InMemoryJobStore();
    QueueConfig dq = defaultQueueConfig;
    if (dq == null) {
      dq =
          QueueConfig.reject(
              s.durable()
                  ? QueueConfig.DEFAULT_DURABLE_CAPACITY
                  : QueueConfig.DEFAULT_MEMORY_CAPACITY);
    }
    for (String type : typeConcurrency.keySet()) {
      if (!handlers.containsKey(type) && !acceptTypesWithoutHandler) {
        throw new IllegalArgumentException(
            "typeConcurrency names type '" + type + "' which has no handler");
      }
    }
    if (queues.size() > maxQueues) {
      throw new IllegalArgumentException(
          "queue: " + queues.size() + " queues registered, more than maxQueues=" + maxQueues);
    }
    String node = nodeId != null ? nodeId : defaultNodeId();
    EngineSettings settings =
        new EngineSettings(
            s,
            ownsStore,
            clock,
            concurrency,
            Map.copyOf(typeConcurrency),
            Map.copyOf(queues),
            dq,
            DEFAULT_QUEUE,
            Map.copyOf(handlers),
            acceptTypesWithoutHandler,
            maxAttempts,
            timeout,
            backoff,
            jitter,
            finishedRetention,
            deadRetention,
            maxResultBytes,
            maxErrorChars,
            maxPayloadBytes,
            breaker,
            maintenanceInterval,
            purgeBatch,
            List.copyOf(listeners),
            healthRules,
            shutdownMode,
            shutdownGrace,
            node,
            lease,
            workerThreads,
            stuckGrace,
            maxQueues,
            maxTypes,
            maxWaiters,
            maxOpenScopes,
            maxTasksPerScope,
            scopeTaskCapacity,
            claimBatch,
            submitBatch,
            pollInterval,
            maxBuffers,
            pressure,
            maxParkedClaims,
            maxRemoteLeases);
    return new Engine(settings);
  }

  private static String defaultNodeId() {
    String runtime = ManagementFactory.getRuntimeMXBean().getName();
    String cleaned = runtime.replaceAll("[^A-Za-z0-9._:-]", "_");
    return cleaned.length() > 100 ? cleaned.substring(0, 100) : cleaned;
  }

  private static int range(String setting, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          setting + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  private static Duration duration(String setting, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, setting);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          setting + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  private static String name(String setting, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          setting
              + " must match "
              + NAME.pattern()
              + ", got "
              + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }
}
