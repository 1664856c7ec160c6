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
 */
public final class Retention {
  private final Dialect dialect;
  private final RetentionPolicy finished;
  private final RetentionPolicy dead;

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
      String beyond = beyondCount(c, cls, policy.maxCount());
      int byCount = beyond == null ? 0 : deleteOldest(c, cls, beyond, left);
      left -= byCount;
      removed[cls] = byAge + byCount;
    }
    more |= left == 0; // the batch ran out: another pass may find more
    return new PurgeResult(removed[Codes.FINISHED_CLASS], removed[Codes.DEAD_CLASS], more);
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

  public boolean deleteDead(Connection c, JobId id) throws SQLException {
    return delete(c, "", "state = 4 AND id_hi = " + id.msb() + " AND id_lo = " + id.lsb()) == 1;
  }

  public long purgeDead(Connection c) throws SQLException {
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
