package dev.plimsoll.jdbc.internal;

import dev.plimsoll.JobId;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.spi.PurgeResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes finished jobs: by retention (age, then count beyond the newest {@code maxCount}, oldest
 * first, in bounded batches) and on request (dead jobs). A deleted job's idempotency key is
 * released with it. Only the finished table is read, never the active one.
 *
 * <p>Finding where "beyond the newest {@code maxCount}" starts reads {@code maxCount + 1} entries
 * of the retention index, so it is done once and the position (a cutoff row) is kept per class:
 * every row at or before it stays beyond the count, since new finished rows come after it. Batches
 * delete under the kept cutoff until it has nothing left, and only then is it found again. So a
 * purge that is behind pays for the search once per cutoff, not once per batch. A row removed
 * outside retention (a dead job deleted or retried, here or on another node) may leave fewer than
 * {@code maxCount} newer rows; the cutoff is then conservative the other way, and the count bound
 * ("at most maxCount") still holds. This node's own removals drop the kept cutoff.
 *
 * <p>Threads: the engine's scheduler thread purges; dead jobs are deleted from callers' threads, so
 * the kept cutoffs are volatile and replaced whole.
 */
public final class Retention {
  private final Dialect dialect;
  private final RetentionPolicy finished;
  private final RetentionPolicy dead;

  /** Per retention class, a condition known to select only rows beyond the count, or null. */
  private final java.util.concurrent.atomic.AtomicReferenceArray<String> beyond =
      new java.util.concurrent.atomic.AtomicReferenceArray<>(2);

  public Retention(Dialect dialect, RetentionPolicy finished, RetentionPolicy dead) {
    this.dialect = dialect;
    this.finished = finished;
    this.dead = dead;
  }

  /** One retention pass, at most {@code batch} rows in all. */
  public PurgeResult purge(Connection c, Instant now, int batch) throws SQLException {
    long[] removed = new long[2];
    boolean more = false;
    int left = batch;
    for (int cls : new int[] {Codes.FINISHED_CLASS, Codes.DEAD_CLASS}) {
      RetentionPolicy policy = cls == Codes.DEAD_CLASS ? dead : finished;
      long cutoff = Codes.micros(now.minus(policy.maxAge()));
      int byAge = deleteOldest(c, cls, "updated_at < " + cutoff, left);
      left -= byAge;
      int byCount = deleteBeyondCount(c, cls, policy.maxCount(), left);
      left -= byCount;
      removed[cls] = byAge + byCount;
    }
    more |= left == 0; // the batch ran out: another pass may find more
    return new PurgeResult(removed[Codes.FINISHED_CLASS], removed[Codes.DEAD_CLASS], more);
  }

  /**
   * Deletes up to {@code limit} rows of {@code cls} beyond its {@code keep} newest: first under the
   * kept cutoff, then, if that ran out before the limit, under a fresh one.
   */
  private int deleteBeyondCount(Connection c, int cls, long keep, int limit) throws SQLException {
    if (limit <= 0) {
      return 0;
    }
    int deleted = 0;
    String kept = beyond.get(cls);
    if (kept != null) {
      deleted = deleteOldest(c, cls, kept, limit);
      if (deleted == limit) {
        return deleted; // the kept cutoff may hold more: the next batch goes on under it
      }
    }
    String fresh = beyondCount(c, cls, keep);
    beyond.set(cls, fresh);
    if (fresh == null || fresh.equals(kept)) {
      return deleted;
    }
    return deleted + deleteOldest(c, cls, fresh, limit - deleted);
  }

  private int deleteOldest(Connection c, int cls, String condition, int limit) throws SQLException {
    if (limit <= 0) {
      return 0;
    }
    return delete(
        c,
        "WITH c AS MATERIALIZED (SELECT "
            + dialect.rowAddress()
            + " AS tid FROM plimsoll_finished"
            + " WHERE retention_class = "
            + cls
            + " AND "
            + condition
            + " ORDER BY updated_at, id_hi, id_lo LIMIT "
            + limit
            + dialect.skipLocked()
            + ") ",
        dialect.addressIn("c"));
  }

  /**
   * The condition selecting the rows of {@code cls} older than its {@code keep} newest, or null
   * when there are no more than {@code keep}. Reads at most {@code keep + 1} entries of the
   * retention index, however many rows the table holds.
   */
  private static String beyondCount(Connection c, int cls, long keep) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT updated_at, id_hi, id_lo FROM plimsoll_finished WHERE retention_class = ?"
                + " ORDER BY updated_at DESC, id_hi DESC, id_lo DESC LIMIT 1 OFFSET ?")) {
      ps.setInt(1, cls);
      ps.setLong(2, keep);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return "(updated_at, id_hi, id_lo) <= ("
            + rs.getLong(1)
            + ", "
            + rs.getLong(2)
            + ", "
            + rs.getLong(3)
            + ")";
      }
    }
  }

  /**
   * Forgets the kept cutoffs: call after removing finished rows outside retention (deleting or
   * retrying a dead job), so the count is searched again.
   */
  public void forgetCutoffs() {
    beyond.set(Codes.FINISHED_CLASS, null);
    beyond.set(Codes.DEAD_CLASS, null);
  }

  public boolean deleteDead(Connection c, JobId id) throws SQLException {
    forgetCutoffs();
    return delete(c, "", "state = 4 AND id_hi = " + id.msb() + " AND id_lo = " + id.lsb()) == 1;
  }

  public long purgeDead(Connection c) throws SQLException {
    forgetCutoffs();
    return delete(c, "", "state = 4");
  }

  /**
   * Deletes finished rows matching {@code condition} (literals only) and their keys; {@code with}
   * is an optional WITH clause the condition may read.
   */
  private static int delete(Connection c, String with, String condition) throws SQLException {
    List<Object[]> keys = new ArrayList<>();
    int deleted = 0;
    try (PreparedStatement ps =
            c.prepareStatement(
                with
                    + "DELETE FROM plimsoll_finished WHERE "
                    + condition
                    + " RETURNING owner, idem_key, id_hi, id_lo");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        deleted++;
        if (rs.getString(2) != null) {
          keys.add(
              new Object[] {
                rs.getString(1) == null ? "" : rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getLong(4)
              });
        }
      }
    }
    if (!keys.isEmpty()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM plimsoll_idempotency WHERE owner = ? AND idem_key = ?"
                  + " AND id_hi = ? AND id_lo = ?")) {
        for (Object[] key : keys) {
          ps.setString(1, (String) key[0]);
          ps.setString(2, (String) key[1]);
          ps.setLong(3, (Long) key[2]);
          ps.setLong(4, (Long) key[3]);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    return deleted;
  }
}
