package dev.plimsoll.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobEvent;
import dev.plimsoll.jdbc.JdbcJobStore;
import dev.plimsoll.spi.JobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The databases of the durable-store benchmarks: a SQLite file in a temporary folder, or a fresh
 * schema on the local PostgreSQL server (127.0.0.1:5432, database test, user postgres), one schema
 * per system so that Plimsoll and its peers share the server but never a table.
 */
final class BenchDatabase {
  /** {@code -Dplimsoll.bench.pgUrl} overrides it (e.g. to add connection {@code options}). */
  static final String PG_URL =
      System.getProperty("plimsoll.bench.pgUrl", "jdbc:postgresql://127.0.0.1:5432/test");

  static final String PG_USER = "postgres";

  private BenchDatabase() {}

  /** A Plimsoll store: {@code sqlite} (new file) or {@code postgres} (fresh schema). */
  static JdbcJobStore plimsollStore(String kind, String schema) {
    if (kind.equals("sqlite")) {
      try {
        Path dir = Files.createTempDirectory("plimsoll-bench");
        return JdbcJobStore.sqlite(dir.resolve("jobs.db")).build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    freshSchema(schema);
    var builder = JdbcJobStore.postgres(PG_URL).user(PG_USER).schema(schema);
    Long vacuumAfter = Long.getLong("vacuumAfter");
    return (vacuumAfter == null ? builder : builder.vacuumAfter(vacuumAfter)).build();
  }

  /**
   * The engine the durable-store harnesses measure: node {@code runner}, maintenance every second,
   * a handler for type {@code noop} that runs {@code onStart} and returns, and {@code succeeded}
   * counting SUCCEEDED events.
   */
  static JobEngine runner(
      JobStore store, int workers, int claimBatch, Runnable onStart, AtomicLong succeeded) {
    return JobEngine.builder()
        .store(store)
        .nodeId("runner")
        .concurrency(workers)
        .claimBatch(claimBatch)
        .maintenanceInterval(Duration.ofSeconds(1))
        .handler(
            "noop",
            ctx -> {
              onStart.run();
              return null;
            })
        .listener(
            e -> {
              if (e.kind() == JobEvent.Kind.SUCCEEDED) {
                succeeded.incrementAndGet();
              }
            })
        .start();
  }

  /** Drops and creates {@code schema}, running {@code ddl} in it. */
  static void freshSchema(String schema, String... ddl) {
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
      s.execute("SET search_path TO " + schema);
      for (String statement : ddl) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at " + PG_URL + " is needed for this benchmark: " + e.getMessage(), e);
    }
  }

  /** A pool on {@code schema} for a peer library (auto-commit on, as they expect). */
  static HikariDataSource pool(String schema, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(PG_URL);
    config.setUsername(PG_USER);
    config.addDataSourceProperty("currentSchema", schema);
    config.addDataSourceProperty("ApplicationName", "bench-" + schema);
    config.setMaximumPoolSize(size);
    config.setPoolName("bench-" + schema);
    return new HikariDataSource(config);
  }

  /**
   * Parks for a random time in [5 ms, 5 ms + {@code pollMillis}): an idle-pickup sample then lands
   * at a random phase of a poller's interval, as a real submission would, instead of just after the
   * poll that ran the previous sample.
   */
  static void idleFor(long pollMillis) {
    long millis =
        5 + java.util.concurrent.ThreadLocalRandom.current().nextLong(Math.max(1, pollMillis));
    LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis));
  }

  /** Parks until {@code counter} reaches {@code target}. */
  static void awaitCount(LongSupplier counter, long target) {
    while (counter.getAsLong() < target) {
      LockSupport.parkNanos(50_000);
    }
  }
}
