package dev.plimsoll.jdbc.internal;

import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** What differs between the SQL databases the JDBC store runs on. Everything else is shared. */
public interface Dialect {

  /** Folder of this dialect's migrations under {@code dev/plimsoll/jdbc/migrations/}. */
  String migrationFolder();

  /** The database's name for messages. */
  String displayName();

  /**
   * Suffix that locks selected rows and skips rows other transactions hold ({@code FOR UPDATE SKIP
   * LOCKED}); empty where writers are serialized anyway.
   */
  String skipLocked();

  /** Suffix that locks selected rows, waiting for other holders; empty where writes are serial. */
  String forUpdate();

  /** Binary column type, for casts of NULL. */
  String blobType();

  /** True when a data-modifying CTE can delete and insert in one statement. */
  boolean deleteInCte();

  /** The column that addresses a row physically: {@code ctid}, {@code rowid}. */
  String rowAddress();

  /**
   * A condition true for the rows whose address ({@link #rowAddress}) is in column {@code tid} of
   * the CTE {@code cte}: joins by address cannot fall back to scanning the whole table, as a join
   * by id may when the planner misjudges sizes.
   */
  String addressIn(String cte);

  /** True when a statement can take a whole batch as array parameters ({@code unnest}). */
  boolean arrays();

  /**
   * Moves up to {@code request.max()} QUEUED jobs of the requested types to RUNNING and adjusts the
   * pending counters, in the caller's transaction, which it lets commit without waiting for the
   * disk (see {@link #relaxCommit}). Jobs are taken round-robin across queues: one job of each
   * queue per round (highest priority, then oldest, within a queue), the first queue of each round
   * rotating with {@code offset}; the result is in that order.
   *
   * @param leaseUntil the end of the claimed jobs' lease
   * @param now the claim's time, microseconds
   */
  List<ClaimedJob> claim(
      Connection c, ClaimRequest request, Instant leaseUntil, long now, int offset)
      throws SQLException;

  /** Tells other nodes that claimable work appeared, on commit of the current transaction. */
  void notifyWork(Connection c) throws SQLException;

  /**
   * As {@link #notifyWork}, for jobs this store inserted: the engine that inserted them wakes its
   * own workers, so this store's own listener may ignore the notification.
   */
  default void notifyInserted(Connection c) throws SQLException {
    notifyWork(c);
  }

  /**
   * Lets the current transaction commit without waiting for the disk. Used for claims, completions
   * and maintenance, never for inserts: a claim or completion lost in a database crash only makes
   * its job run again (at-least-once), while an acknowledged insert must never be lost.
   */
  void relaxCommit(Connection c) throws SQLException;

  /** Serializes schema migrations of concurrent nodes, for the current transaction. */
  void lockForMigration(Connection c) throws SQLException;
}
