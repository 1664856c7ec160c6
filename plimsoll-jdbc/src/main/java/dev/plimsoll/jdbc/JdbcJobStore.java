package dev.plimsoll.jdbc;

import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import dev.plimsoll.JobPage;
import dev.plimsoll.JobQuery;
import dev.plimsoll.jdbc.internal.Completer;
import dev.plimsoll.jdbc.internal.CompletionCombiner;
import dev.plimsoll.jdbc.internal.Dialect;
import dev.plimsoll.jdbc.internal.Inserter;
import dev.plimsoll.jdbc.internal.Leases;
import dev.plimsoll.jdbc.internal.Migrator;
import dev.plimsoll.jdbc.internal.Mover;
import dev.plimsoll.jdbc.internal.Queries;
import dev.plimsoll.jdbc.internal.Retention;
import dev.plimsoll.jdbc.internal.Transactor;
import dev.plimsoll.jdbc.internal.Vacuum;
import dev.plimsoll.spi.CancelResult;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.HeartbeatResult;
import dev.plimsoll.spi.InsertResult;
import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.LeaseRenewal;
import dev.plimsoll.spi.NewJob;
import dev.plimsoll.spi.PurgeResult;
import dev.plimsoll.spi.StoreContext;
import dev.plimsoll.spi.StoreCounts;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A durable job store on SQL: SQLite for one process (the server's embedded default: one file, no
 * setup) or PostgreSQL for several nodes sharing one database.
 *
 * <pre>{@code
 * JobStore local = JdbcJobStore.sqlite(Path.of("plimsoll-data/jobs.db")).build();
 * JobStore shared = JdbcJobStore.postgres("jdbc:postgresql://db/app").user("app").build();
 * }</pre>
 *
 * <p>Active jobs (scheduled, queued, running) and finished jobs live in separate tables, so the
 * claim query's cost depends on active jobs only; retention bounds the finished table. Running jobs
 * hold leases with fencing tokens; a node that dies loses its leases and its jobs run again
 * elsewhere. The schema is created and migrated when the engine opens the store. Every failure to
 * reach the database is a {@link dev.plimsoll.StoreUnavailableException} and changes nothing.
 */
public final class JdbcJobStore implements JobStore {

  /** Opens connections and the dialect once the engine opens the store. */
  interface Backend {
    /** Connects, migrates and returns the connected parts. */
    Connected connect(StoreContext context);

    /** Where the store lives, for messages. */
    String describe();
  }

  /** What {@link Backend#connect} sets up; {@code vacuum} is null where the store never vacuums. */
  record Connected(Dialect dialect, Transactor tx, AutoCloseable listener, Vacuum vacuum) {}

  /** Most completions that concurrent workers' batches are combined into (one transaction). */
  private static final int MAX_COMBINED_COMPLETIONS = 4_000;

  private final Backend backend;
  private volatile Parts parts;
  private boolean closed;

  private record Parts(
      Connected connected,
      Inserter inserter,
      Leases leases,
      Completer completer,
      CompletionCombiner completions,
      Retention retention,
      Queries queries) {}

  JdbcJobStore(Backend backend) {
    this.backend = backend;
  }

  /** A store in the SQLite file {@code file} (created with its folders if missing). */
  public static SqliteStoreBuilder sqlite(Path file) {
    return new SqliteStoreBuilder(Objects.requireNonNull(file, "file"));
  }

  /** A store in the PostgreSQL database at {@code jdbcUrl} ({@code jdbc:postgresql://...}). */
  public static PostgresStoreBuilder postgres(String jdbcUrl) {
    return new PostgresStoreBuilder(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), null);
  }

  /** A store in the PostgreSQL database behind {@code dataSource} (pooled by the store). */
  public static PostgresStoreBuilder postgres(DataSource dataSource) {
    return new PostgresStoreBuilder(null, Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** The newest schema version this code knows and migrates to. */
  public static int schemaVersion() {
    return Migrator.latestVersion();
  }

  @Override
  public synchronized void open(StoreContext context) {
    if (parts != null || closed) {
      throw new IllegalStateException("store " + backend.describe() + " was already opened");
    }
    Connected connected = backend.connect(context);
    Dialect dialect = connected.dialect();
    Mover mover = new Mover(dialect);
    Completer completer = new Completer(dialect, mover);
    parts =
        new Parts(
            connected,
            new Inserter(dialect, mover, context.queues(), context.clock()),
            new Leases(dialect, mover),
            completer,
            new CompletionCombiner(
                // relaxed commit, set by the statements themselves (Completer.complete)
                batch -> tx(connected, "complete jobs", c -> completer.complete(c, batch)),
                MAX_COMBINED_COMPLETIONS),
            new Retention(dialect, context.finishedRetention(), context.deadRetention()),
            new Queries(dialect));
  }

  private Parts parts() {
    Parts p = parts;
    if (p == null) {
      throw new IllegalStateException(
          "store " + backend.describe() + " is not open: the engine opens it at start");
    }
    return p;
  }

  private <T> T tx(String operation, Transactor.Work<T> work) {
    return tx(parts().connected(), operation, work);
  }

  private static <T> T tx(Connected connected, String operation, Transactor.Work<T> work) {
    return connected.tx().inTransaction(operation, work);
  }

  /**
   * A transaction that need not wait for the disk: losing it in a database crash only makes a job
   * run again. Never for inserts, cancels or re-queues, which callers are told succeeded.
   */
  private <T> T relaxedTx(String operation, Transactor.Work<T> work) {
    Dialect dialect = parts().connected().dialect();
    return tx(
        operation,
        c -> {
          dialect.relaxCommit(c);
          return work.run(c);
        });
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public boolean leases() {
    return true;
  }

  @Override
  public List<InsertResult> insert(List<NewJob> jobs) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    Inserter inserter = parts().inserter();
    return tx("insert " + jobs.size() + " job(s)", c -> inserter.insert(c, jobs));
  }

  @Override
  public List<ClaimedJob> claim(ClaimRequest request) {
    Leases leases = parts().leases();
    // the claim statement relaxes its own commit (Dialect.claim)
    return tx("claim jobs", c -> leases.claim(c, request));
  }

  @Override
  public boolean[] complete(List<Completion> completions) {
    if (completions.isEmpty()) {
      return new boolean[0];
    }
    Parts p = parts();
    boolean[] applied = p.completions().complete(completions);
    if (p.connected().vacuum() != null) {
      int n = 0;
      for (boolean a : applied) {
        n += a ? 1 : 0;
      }
      p.connected().vacuum().finished(n);
    }
    return applied;
  }

  @Override
  public HeartbeatResult heartbeat(List<LeaseRenewal> running, Instant until) {
    if (running.isEmpty()) {
      return HeartbeatResult.NONE;
    }
    Leases leases = parts().leases();
    return relaxedTx("renew leases", c -> leases.heartbeat(c, running, until));
  }

  @Override
  public int promoteDue(Instant now, int max) {
    Leases leases = parts().leases();
    return relaxedTx("promote due jobs", c -> leases.promoteDue(c, now, max));
  }

  @Override
  public Optional<Instant> nextRunAt() {
    Leases leases = parts().leases();
    return tx("read the next run time", leases::nextRunAt);
  }

  @Override
  public int recoverExpiredLeases(Instant now, int max) {
    Leases leases = parts().leases();
    return relaxedTx("recover expired leases", c -> leases.recoverExpired(c, now, max));
  }

  @Override
  public Optional<Job> get(JobId id) {
    Queries queries = parts().queries();
    return tx("read job " + id, c -> queries.get(c, id));
  }

  @Override
  public JobPage list(JobQuery query) {
    Queries queries = parts().queries();
    return tx("list jobs", c -> queries.list(c, query));
  }

  @Override
  public CancelResult cancel(JobId id, String reason, Instant now) {
    Completer completer = parts().completer();
    return tx("cancel job " + id, c -> completer.cancel(c, id, reason, now));
  }

  @Override
  public boolean requeueDead(JobId id, Instant now) {
    Parts p = parts();
    p.retention().forgetCutoffs(); // a finished row leaves outside retention
    return tx("re-queue dead job " + id, c -> p.completer().requeueDead(c, id, now));
  }

  @Override
  public boolean deleteDead(JobId id) {
    Retention retention = parts().retention();
    return tx("delete dead job " + id, c -> retention.deleteDead(c, id));
  }

  @Override
  public long purgeDead() {
    Retention retention = parts().retention();
    return tx("purge dead jobs", retention::purgeDead);
  }

  @Override
  public PurgeResult purge(Instant now, int batch) {
    Retention retention = parts().retention();
    return relaxedTx("purge finished jobs", c -> retention.purge(c, now, batch));
  }

  @Override
  public StoreCounts counts() {
    Queries queries = parts().queries();
    return tx("count jobs", queries::counts);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Parts p = parts;
    if (p != null) {
      try {
        if (p.connected().listener() != null) {
          p.connected().listener().close();
        }
      } catch (Exception ignored) {
        // closing the pool below releases what the listener held
      }
      p.connected().tx().close();
    }
  }

  @Override
  public String toString() {
    return "JdbcJobStore[" + backend.describe() + "]";
  }
}
