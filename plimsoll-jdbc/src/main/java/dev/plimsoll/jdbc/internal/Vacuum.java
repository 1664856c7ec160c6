package dev.plimsoll.jdbc.internal;

import dev.plimsoll.internal.RateLimitedLog;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Vacuums the store's own tables on PostgreSQL after every {@code every} finished jobs.
 *
 * <p>Each job leaves dead row versions behind (its insert and claim in the active table, its
 * finished row once retention deletes it) and dead index entries at the old end of the claim, lease
 * and retention indexes, where every claim and purge starts its scan. Until a vacuum removes them,
 * each claim walks over all of them: its cost grows with the jobs processed since. Autovacuum looks
 * at a table at most once per {@code autovacuum_naptime} (default 1 min; some servers run with it
 * off), which at tens of thousands of jobs a second leaves millions. This runs {@code VACUUM
 * (SKIP_LOCKED)} on the three tables, whose size then stays near the live jobs.
 *
 * <p>Concurrency: the worker whose completion crosses the threshold runs it, on its own pooled
 * connection, after its transaction committed; an atomic flag keeps it to one vacuum at a time in
 * this store, and {@code SKIP_LOCKED} skips a table another node is vacuuming. A failure (e.g. the
 * user does not own the tables) is logged, rate-limited, and changes nothing else.
 */
public final class Vacuum {
  private static final RateLimitedLog LOG =
      new RateLimitedLog(LoggerFactory.getLogger(Vacuum.class), 1, TimeUnit.MINUTES);
  static final String SQL =
      "VACUUM (SKIP_LOCKED, TRUNCATE false, PARALLEL 0)"
          + " plimsoll_jobs, plimsoll_finished, plimsoll_queue_pending";

  private final PooledTransactor tx;
  private final long every;
  private final AtomicLong since = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong runs = new AtomicLong();

  /**
   * @param every finished jobs between two vacuums; 0 never vacuums
   */
  public Vacuum(PooledTransactor tx, long every) {
    this.tx = tx;
    this.every = every;
  }

  /** Counts {@code jobs} finished jobs and vacuums when the count reached the threshold. */
  public void finished(int jobs) {
    if (every <= 0 || jobs <= 0 || since.addAndGet(jobs) < every) {
      return;
    }
    if (!running.compareAndSet(false, true)) {
      return;
    }
    try {
      since.set(0);
      tx.autoCommit("vacuum its tables", SQL);
      runs.incrementAndGet();
    } catch (RuntimeException e) {
      LOG.warn(
          "vacuuming the job tables failed (autovacuum must keep them small): {}", e.toString());
    } finally {
      running.set(false);
    }
  }

  /** Vacuums run so far. */
  public long runs() {
    return runs.get();
  }
}
