package dev.plimsoll.server.internal;

import dev.plimsoll.BackoffPolicy;
import dev.plimsoll.BreakerConfig;
import dev.plimsoll.EngineBuilder;
import dev.plimsoll.JobEngine;
import dev.plimsoll.OverflowPolicy;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.ShutdownMode;
import dev.plimsoll.jdbc.JdbcJobStore;
import dev.plimsoll.memory.InMemoryJobStore;
import dev.plimsoll.process.ProcessPoolConfig;
import dev.plimsoll.redis.RedisJobStore;
import dev.plimsoll.server.ServerConfig;
import dev.plimsoll.spi.JobStore;
import java.nio.file.Path;
import java.time.Duration;

/** Builds the store, the process pool settings and the engine from the config. */
public final class EngineFactory {
  private EngineFactory() {}

  public static JobStore store(ServerConfig c) {
    String url = c.string(ConfigKeys.STORE_URL);
    switch (c.string(ConfigKeys.STORE_KIND)) {
      case "memory":
        return new InMemoryJobStore();
      case "postgres":
        return JdbcJobStore.postgres(url).build();
      case "redis":
        return RedisJobStore.builder()
            .uri(url.isEmpty() ? RedisJobStore.Builder.DEFAULT_URI : url)
            .prefix(c.string(ConfigKeys.STORE_PREFIX))
            .build();
      default:
        return JdbcJobStore.sqlite(sqliteFile(c)).build();
    }
  }

  /** Where the SQLite store lives: {@code store.url}, or {@code <data.dir>/jobs.db}. */
  public static Path sqliteFile(ServerConfig c) {
    String url = c.string(ConfigKeys.STORE_URL);
    return url.isEmpty() ? Path.of(c.string(ConfigKeys.DATA_DIR), "jobs.db") : Path.of(url);
  }

  public static ProcessPoolConfig processPool(ServerConfig c) {
    ProcessPoolConfig.Builder b =
        ProcessPoolConfig.builder()
            .name("command")
            .queueCapacity(c.integer(ConfigKeys.PROCESS_QUEUE))
            .defaultTimeout(c.duration(ConfigKeys.PROCESS_TIMEOUT))
            .killGrace(c.duration(ConfigKeys.PROCESS_KILL_GRACE))
            .shutdownGrace(c.duration(ConfigKeys.SHUTDOWN_GRACE))
            .stdoutCap(c.integer(ConfigKeys.PROCESS_OUTPUT))
            .stderrCap(c.integer(ConfigKeys.PROCESS_OUTPUT));
    int n = c.integer(ConfigKeys.PROCESS_CONCURRENCY);
    b.maxConcurrency(n == 0 ? Runtime.getRuntime().availableProcessors() : n);
    return b.build();
  }

  /** An engine builder with every engine setting of {@code c}; handlers are added by the caller. */
  public static EngineBuilder engine(ServerConfig c, JobStore store) {
    EngineBuilder b =
        JobEngine.builder()
            .store(store)
            .concurrency(c.integer(ConfigKeys.CONCURRENCY))
            .maxAttempts(c.integer(ConfigKeys.MAX_ATTEMPTS))
            .timeout(c.duration(ConfigKeys.TIMEOUT))
            .backoff(
                new BackoffPolicy(
                    c.duration(ConfigKeys.BACKOFF_INITIAL),
                    c.duration(ConfigKeys.BACKOFF_MAX),
                    c.decimal(ConfigKeys.BACKOFF_JITTER)))
            .retention(
                new RetentionPolicy(
                    c.duration(ConfigKeys.RETENTION_AGE), c.number(ConfigKeys.RETENTION_COUNT)))
            .deadRetention(
                new RetentionPolicy(
                    c.duration(ConfigKeys.DEAD_AGE), c.number(ConfigKeys.DEAD_COUNT)))
            .maxResultBytes(c.integer(ConfigKeys.MAX_RESULT))
            .maxErrorChars(c.integer(ConfigKeys.MAX_ERROR))
            .maxPayloadBytes((int) c.number(ConfigKeys.MAX_BODY))
            .breaker(
                new BreakerConfig(
                    c.flag(ConfigKeys.BREAKER_ENABLED),
                    c.decimal(ConfigKeys.BREAKER_RATE),
                    c.integer(ConfigKeys.BREAKER_WINDOW),
                    c.integer(ConfigKeys.BREAKER_MIN),
                    c.duration(ConfigKeys.BREAKER_OPEN),
                    1))
            .maintenanceInterval(c.duration(ConfigKeys.MAINTENANCE))
            .purgeBatch(c.integer(ConfigKeys.PURGE_BATCH))
            .lease(c.duration(ConfigKeys.LEASE))
            .pollInterval(c.duration(ConfigKeys.POLL))
            .acceptTypesWithoutHandler(c.flag(ConfigKeys.REMOTE_ENABLED))
            .maxParkedClaims(c.integer(ConfigKeys.REMOTE_PARKED))
            .maxRemoteLeases(c.integer(ConfigKeys.REMOTE_LEASES))
            .shutdown(
                ShutdownMode.valueOf(c.string(ConfigKeys.SHUTDOWN_MODE)),
                c.duration(ConfigKeys.SHUTDOWN_GRACE));
    long capacity = c.number(ConfigKeys.QUEUE_CAPACITY);
    if (capacity > 0
        || OverflowPolicy.valueOf(c.string(ConfigKeys.QUEUE_OVERFLOW)) == OverflowPolicy.BLOCK) {
      long cap =
          capacity > 0
              ? capacity
              : store.durable()
                  ? QueueConfig.DEFAULT_DURABLE_CAPACITY
                  : QueueConfig.DEFAULT_MEMORY_CAPACITY;
      Duration block = c.duration(ConfigKeys.QUEUE_BLOCK_TIMEOUT);
      b.defaultQueue(
          OverflowPolicy.valueOf(c.string(ConfigKeys.QUEUE_OVERFLOW)) == OverflowPolicy.BLOCK
              ? QueueConfig.block(cap, block)
              : QueueConfig.reject(cap));
    }
    ServerConfig.typeConcurrency(c.string(ConfigKeys.TYPE_CONCURRENCY)).forEach(b::typeConcurrency);
    return b;
  }
}
