package dev.plimsoll.jdbc.internal;

import dev.plimsoll.JobId;
import dev.plimsoll.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * The set-based move of RUNNING jobs. It must find the rows through the primary key ({@code id_hi
   * = ANY(...)}) whatever the table's statistics say: with a plain {@code state = 2} the planner
   * prefers the partial lease index and reads every dead entry that index holds, so {@code state +
   * 0 = 2} keeps that index out of reach, and {@link Rows#arrayJoinPlan} keeps the join with the
   * batch a hash join. The same statement relaxes the commit (see {@link Dialect#relaxCommit}).
   */
  private static final String MOVE_RUNNING =
      "WITH c AS (SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::int[],"
          + " ?::bigint[], ?::text[], ?::bytea[], ?::int[])"
          + " AS c(hi, lo, tok, st, at, err, res, cls)),"
          + " d AS (DELETE FROM plimsoll_jobs j USING c WHERE j.id_hi = ANY(?::bigint[])"
          + " AND j.id_hi = c.hi AND j.id_lo = c.lo"
          + " AND j.token = c.tok AND j.state + 0 = 2 RETURNING "
          + Rows.qualified("j", Rows.KEPT_ON_FINISH)
          + ", c.st, c.at, c.err, c.res, c.cls)"
          + " INSERT INTO plimsoll_finished ("
          + Rows.KEPT_ON_FINISH
          + ", state, updated_at, error, result, retention_class) SELECT "
          + Rows.KEPT_ON_FINISH
          + ", st, at, err, res, cls FROM d"
          + " WHERE (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL"
          + " RETURNING id_hi, id_lo";

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

  /**
   * Moves RUNNING jobs whose fencing token still matches ({@code condition()} holds the token). On
   * PostgreSQL one set-based statement moves the whole batch and relaxes the commit of its
   * transaction; elsewhere it is {@link #move}.
   */
  public boolean[] moveRunning(Connection c, List<Move> moves) throws SQLException {
    if (!deleteInCte || moves.isEmpty()) {
      return move(c, "token = ? AND state = 2", moves);
    }
    int n = moves.size();
    Long[] hi = new Long[n];
    Long[] lo = new Long[n];
    Long[] token = new Long[n];
    Integer[] state = new Integer[n];
    Long[] at = new Long[n];
    String[] error = new String[n];
    byte[][] result = new byte[n][];
    Integer[] retention = new Integer[n];
    Map<JobId, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Move m = moves.get(i);
      hi[i] = m.id().msb();
      lo[i] = m.id().lsb();
      token[i] = m.condition()[0];
      state[i] = Codes.code(m.state());
      at[i] = m.at();
      error[i] = m.error();
      result[i] = m.result();
      retention[i] = Codes.retentionClass(m.state());
      index.put(m.id(), i);
    }
    boolean[] moved = new boolean[n];
    Rows.arrayJoinPlan(c);
    try (PreparedStatement ps = Rows.customPlan(c.prepareStatement(MOVE_RUNNING))) {
      java.sql.Array his = c.createArrayOf("bigint", hi);
      ps.setArray(1, his);
      ps.setArray(2, c.createArrayOf("bigint", lo));
      ps.setArray(3, c.createArrayOf("bigint", token));
      ps.setArray(4, c.createArrayOf("int4", state));
      ps.setArray(5, c.createArrayOf("bigint", at));
      ps.setArray(6, c.createArrayOf("text", error));
      ps.setArray(7, c.createArrayOf("bytea", result));
      ps.setArray(8, c.createArrayOf("int4", retention));
      ps.setArray(9, his);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Integer i = index.get(new JobId(rs.getLong(1), rs.getLong(2)));
          if (i != null) {
            moved[i] = true;
          }
        }
      }
    }
    return moved;
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
