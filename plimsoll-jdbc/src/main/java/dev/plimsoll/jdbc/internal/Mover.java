package dev.plimsoll.jdbc.internal;

import dev.plimsoll.JobId;
import dev.plimsoll.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Moves jobs from the active table to the finished table in one batch: one statement per job where
 * the dialect can delete inside a CTE (PostgreSQL), else an insert-select batch followed by a
 * delete batch under the same condition (SQLite, whose writes are serialized).
 */
public final class Mover {

  /**
   * One job to move.
   *
   * @param id the job
   * @param condition values of the {@code ?} in the move's condition, after the id
   * @param state SUCCEEDED, DEAD or CANCELLED
   * @param at microseconds of the move
   * @param error error text or reason, or null
   * @param result result bytes, or null
   */
  public record Move(
      JobId id, long[] condition, JobState state, long at, String error, byte[] result) {}

  private static final String TARGET =
      "INSERT INTO plimsoll_finished ("
          + Rows.KEPT_ON_FINISH
          + ", state, updated_at, error, result, retention_class) SELECT "
          + Rows.KEPT_ON_FINISH
          + ", ?, ?, ?, ?, ? FROM ";

  private final boolean deleteInCte;

  public Mover(Dialect dialect) {
    this.deleteInCte = dialect.deleteInCte();
  }

  /**
   * Moves each job whose row matches {@code id_hi = ? AND id_lo = ? AND (condition)}.
   *
   * @return for each move, whether its job moved
   */
  public boolean[] move(Connection c, String condition, List<Move> moves) throws SQLException {
    boolean[] moved = new boolean[moves.size()];
    if (moves.isEmpty()) {
      return moved;
    }
    String where = " WHERE id_hi = ? AND id_lo = ? AND (" + condition + ")";
    if (deleteInCte) {
      String sql =
          "WITH d AS (DELETE FROM plimsoll_jobs"
              + where
              + " RETURNING "
              + Rows.KEPT_ON_FINISH
              + ") "
              + TARGET
              + "d";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (Move m : moves) {
          int i = bindWhere(ps, 1, m);
          bindValues(ps, i, m);
          ps.addBatch();
        }
        return toMoved(ps.executeBatch(), moved);
      }
    }
    try (PreparedStatement insert = c.prepareStatement(TARGET + "plimsoll_jobs" + where);
        PreparedStatement delete = c.prepareStatement("DELETE FROM plimsoll_jobs" + where)) {
      for (Move m : moves) {
        bindWhere(insert, bindValues(insert, 1, m), m);
        insert.addBatch();
        bindWhere(delete, 1, m);
        delete.addBatch();
      }
      toMoved(insert.executeBatch(), moved);
      delete.executeBatch();
      return moved;
    }
  }

  private static int bindWhere(PreparedStatement ps, int index, Move m) throws SQLException {
    int i = Rows.bindId(ps, index, m.id());
    for (long value : m.condition()) {
      ps.setLong(i++, value);
    }
    return i;
  }

  private static int bindValues(PreparedStatement ps, int index, Move m) throws SQLException {
    int i = index;
    ps.setInt(i++, Codes.code(m.state()));
    ps.setLong(i++, m.at());
    ps.setString(i++, m.error());
    ps.setBytes(i++, m.result());
    ps.setInt(i++, Codes.retentionClass(m.state()));
    return i;
  }

  private static boolean[] toMoved(int[] counts, boolean[] moved) {
    for (int i = 0; i < counts.length; i++) {
      moved[i] = counts[i] > 0;
    }
    return moved;
  }
}
