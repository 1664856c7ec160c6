package dev.plimsoll.server.internal;

import dev.plimsoll.server.ConfigKey;
import dev.plimsoll.server.ConfigKey.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table of every setting: one place for keys, defaults, bounds and env names. */
public final class ConfigKeys {
  private ConfigKeys() {}

  private static final double DAY_MS = 86_400_000d;
  private static final double MIB = 1024 * 1024;
  private static final List<ConfigKey> KEYS = new ArrayList<>();

  public static final String HOST = str("server.host", "127.0.0.1", "address to bind");
  public static final String PORT = num("server.port", "7280", 0, 65535, "port (0 = any free)");
  public static final String DATA_DIR =
      str("data.dir", "./plimsoll-data", "folder of the embedded SQLite store");
  public static final String MAX_THREADS =
      num("server.maxThreads", "32", 8, 1000, "request threads (Jetty pool maximum)");
  public static final String MAX_QUEUED_REQUESTS =
      num("server.maxQueuedRequests", "256", 1, 100_000, "requests waiting for a thread");
  public static final String MAX_CONNECTIONS =
      num("server.maxConnections", "512", 1, 100_000, "open connections");
  public static final String ACCEPT_QUEUE =
      num("server.acceptQueue", "128", 1, 65_535, "TCP accept backlog");
  public static final String IDLE_TIMEOUT =
      dur("server.idleTimeout", "30s", 10, DAY_MS, "closes a connection silent for this long");
  public static final String MIN_DATA_RATE =
      num(
          "server.minRequestDataRate",
          "0",
          0,
          1e9,
          "bytes/s a body must average from its first byte (0 = off; Jetty's check, which also"
              + " refuses honest bodies read late under CPU starvation)");
  public static final String BODY_TIMEOUT =
      dur("server.bodyTimeout", "30s", 10, 3_600_000, "most time to read one request body (408)");
  public static final String MAX_BODY =
      size("server.maxBodyBytes", "1MiB", 0, 64 * MIB, "largest request body (413 above)");
  public static final String MAX_BATCH_JOBS =
      num("server.maxBatchJobs", "1000", 1, 10_000, "most jobs in one POST /v1/jobs/batch");
  public static final String RETRY_AFTER =
      dur("server.retryAfter", "1s", 1000, 3_600_000, "Retry-After of 429 and 503 answers");
  public static final String TOKENS =
      add(
          "auth.tokens",
          Kind.STRING,
          "",
          0,
          0,
          List.of(),
          "list of {token, tenant, role}; env: token:tenant:role,...");
  public static final String STORE_KIND =
      choice("store.kind", "sqlite", List.of("sqlite", "postgres", "redis", "memory"), "store");
  public static final String STORE_URL =
      str(
          "store.url",
          "",
          "sqlite: file (default <data.dir>/jobs.db); postgres: jdbc:postgresql://...;"
              + " redis: redis://host:port");
  public static final String STORE_PREFIX = str("store.prefix", "plimsoll:", "Redis key prefix");
  public static final String CONCURRENCY =
      num("engine.concurrency", "10", 1, 10_000, "global concurrency (workers)");
  public static final String TYPE_CONCURRENCY =
      str("engine.typeConcurrency", "", "per-type limits, e.g. command=2,http=4");
  public static final String MAX_ATTEMPTS =
      num("engine.maxAttempts", "3", 1, 1_000, "default attempts per job");
  public static final String TIMEOUT =
      dur("engine.timeout", "30s", 1, DAY_MS, "default attempt timeout");
  public static final String BACKOFF_INITIAL =
      dur("engine.backoff.initial", "1s", 0, DAY_MS, "first retry delay");
  public static final String BACKOFF_MAX =
      dur("engine.backoff.max", "60s", 0, DAY_MS, "retry delay cap");
  public static final String BACKOFF_JITTER =
      dbl("engine.backoff.jitter", "0.5", 0, 1, "share of the delay taken off at random");
  public static final String QUEUE_CAPACITY =
      num(
          "engine.queue.capacity",
          "0",
          0,
          1e12,
          "pending jobs per queue (0 = 10,000 in memory, 1,000,000 durable)");
  public static final String QUEUE_OVERFLOW =
      choice("engine.queue.overflow", "REJECT", List.of("REJECT", "BLOCK"), "when a queue is full");
  public static final String QUEUE_BLOCK_TIMEOUT =
      dur("engine.queue.blockTimeout", "1s", 0, 60_000, "wait for space under BLOCK");
  public static final String RETENTION_AGE =
      dur("engine.retention.maxAge", "1h", 0, 3650 * DAY_MS, "keep succeeded/cancelled jobs");
  public static final String RETENTION_COUNT =
      num("engine.retention.maxCount", "10000", 0, 1e12, "most succeeded/cancelled kept");
  public static final String DEAD_AGE =
      dur("engine.deadRetention.maxAge", "14d", 0, 3650 * DAY_MS, "keep dead jobs");
  public static final String DEAD_COUNT =
      num("engine.deadRetention.maxCount", "10000", 0, 1e12, "most dead jobs kept");
  public static final String MAX_RESULT =
      size("engine.maxResultBytes", "64KiB", 0, 16 * MIB, "stored result cap");
  public static final String MAX_ERROR =
      num("engine.maxErrorChars", "8192", 64, MIB, "stored error text cap");
  public static final String BREAKER_ENABLED =
      bool("engine.breaker.enabled", "true", "per-type circuit breaker");
  public static final String BREAKER_RATE =
      dbl("engine.breaker.failureRate", "0.5", 0.001, 1, "failure share that opens it");
  public static final String BREAKER_WINDOW =
      num("engine.breaker.window", "20", 1, 10_000, "attempts it looks at");
  public static final String BREAKER_MIN =
      num("engine.breaker.minCalls", "10", 1, 10_000, "attempts before it may open");
  public static final String BREAKER_OPEN =
      dur("engine.breaker.openFor", "30s", 1, DAY_MS, "how long it stays open");
  public static final String MAINTENANCE =
      dur("engine.maintenanceInterval", "60s", 10, 3_600_000, "retention purge interval");
  public static final String PURGE_BATCH =
      num("engine.purgeBatch", "1000", 1, 100_000, "rows per purge batch");
  public static final String LEASE =
      dur(
          "engine.lease",
          "30s",
          1000,
          3_600_000,
          "lease of a claimed job (durable stores, remote)");
  public static final String POLL =
      dur("engine.pollInterval", "1s", 1, 60_000, "fallback poll of a shared store");
  public static final String SHUTDOWN_MODE =
      choice(
          "shutdown.mode",
          "DRAIN",
          List.of("DRAIN", "CANCEL_PENDING"),
          "on SIGTERM: run queued work until the grace ends, or cancel it");
  public static final String SHUTDOWN_GRACE =
      dur("shutdown.grace", "30s", 0, 3_600_000, "time running work gets on SIGTERM");
  public static final String PROCESS_CONCURRENCY =
      num("process.maxConcurrency", "0", 0, 10_000, "child processes at once (0 = CPUs)");
  public static final String PROCESS_QUEUE =
      num("process.queueCapacity", "1000", 1, 1_000_000, "commands waiting for a slot");
  public static final String PROCESS_TIMEOUT =
      dur("process.timeout", "60s", 1, DAY_MS, "command timeout when the payload names none");
  public static final String PROCESS_KILL_GRACE =
      dur("process.killGrace", "5s", 0, 600_000, "TERM to KILL of a stopped command");
  public static final String PROCESS_OUTPUT =
      size("process.outputCap", "1MiB", 0, 64 * MIB, "stdout and stderr kept per command");
  public static final String HTTP_TIMEOUT =
      dur("http.timeout", "10s", 1, 600_000, "http job timeout when the payload names none");
  public static final String HTTP_MAX_RESPONSE =
      size("http.maxResponseBytes", "64KiB", 0, 16 * MIB, "response body kept by an http job");
  public static final String HTTP_ALLOWED_HOSTS =
      str(
          "http.allowedHosts",
          "public",
          "hosts http jobs may call: public, names, *.suffix, addresses, CIDR ranges");
  public static final String REMOTE_ENABLED =
      bool(
          "remote.enabled",
          "true",
          "accept job types without a built-in handler, for remote workers");

  public static final String REMOTE_PARKED =
      num(
          "remote.maxWaitingClaims",
          "1000",
          1,
          1_000_000,
          "long-poll claims waiting at once (429 beyond)");
  public static final String REMOTE_LEASES =
      num("remote.maxLeases", "10000", 1, 10_000_000, "jobs held by remote workers at once");

  public static final String WATCHDOG_ENABLED =
      bool(
          "watchdog.enabled",
          "true",
          "memory watchdog: heap after GC degrades health, then sheds submissions (503)");
  public static final String WATCHDOG_INTERVAL =
      dur(
          "watchdog.interval",
          "5s",
          10,
          3_600_000,
          "how often it samples resident memory, threads, files and children");
  public static final String WATCHDOG_WARN =
      dbl("watchdog.warnFraction", "0.7", 0.01, 1, "heap after GC / max that degrades health");
  public static final String WATCHDOG_SHED =
      dbl(
          "watchdog.shedFraction",
          "0.85",
          0.01,
          1,
          "heap after GC / max at which submissions get 503 memory_pressure");
  public static final String WATCHDOG_RESUME =
      dbl("watchdog.resumeFraction", "0.7", 0.01, 1, "shedding stops once heap after GC is below");

  private static final Map<String, ConfigKey> BY_NAME;

  static {
    Map<String, ConfigKey> m = new LinkedHashMap<>();
    for (ConfigKey k : KEYS) {
      m.put(k.key(), k);
    }
    BY_NAME = Collections.unmodifiableMap(m);
  }

  public static List<ConfigKey> all() {
    return List.copyOf(KEYS);
  }

  public static ConfigKey get(String key) {
    return BY_NAME.get(key);
  }

  private static String add(
      String key, Kind kind, String def, double min, double max, List<String> allowed, String d) {
    KEYS.add(new ConfigKey(key, kind, def, min, max, allowed, d));
    return key;
  }

  private static String str(String key, String def, String d) {
    return add(key, Kind.STRING, def, 0, 0, List.of(), d);
  }

  private static String num(String key, String def, double min, double max, String d) {
    return add(key, Kind.INT, def, min, max, List.of(), d);
  }

  private static String dbl(String key, String def, double min, double max, String d) {
    return add(key, Kind.DOUBLE, def, min, max, List.of(), d);
  }

  private static String size(String key, String def, double min, double max, String d) {
    return add(key, Kind.SIZE, def, min, max, List.of(), d);
  }

  private static String dur(String key, String def, double minMs, double maxMs, String d) {
    return add(key, Kind.DURATION, def, minMs, maxMs, List.of(), d);
  }

  private static String bool(String key, String def, String d) {
    return add(key, Kind.BOOLEAN, def, 0, 0, List.of("true", "false"), d);
  }

  private static String choice(String key, String def, List<String> allowed, String d) {
    return add(key, Kind.ENUM, def, 0, 0, allowed, d);
  }
}
