package dev.plimsoll.jdbc.internal;

import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Column lists shared by both tables, and the mapping of a row to a {@link Job}. */
public final class Rows {
  public static final String JOBS = "plimsoll_jobs";
  public static final String FINISHED = "plimsoll_finished";
  public static final String IDEMPOTENCY = "plimsoll_idempotency";
  public static final String PENDING = "plimsoll_queue_pending";

  /** The columns of a job both tables share, in the order {@link #job} reads them. */
  public static final String ACTIVE =
      "id_hi, id_lo, queue, type, payload, owner, idem_key, priority, state, attempts,"
          + " max_attempts, timeout_ms, created_at, run_at, updated_at, error";

  /** Columns copied unchanged when a job moves to the finished table. */
  public static final String KEPT_ON_FINISH =
      "id_hi, id_lo, queue, type, payload, owner, idem_key, priority, attempts, max_attempts,"
          + " timeout_ms, created_at, run_at";

  private Rows() {}

  /** {@code columns} (a list like {@link #ACTIVE}) with every column qualified by {@code alias}. */
  public static String qualified(String alias, String columns) {
    return alias + "." + columns.replace(", ", ", " + alias + ".");
  }

  /**
   * Reads the {@link #ACTIVE} columns from position 1, and the result from position 17 when {@code
   * withResult}.
   */
  public static Job job(ResultSet rs, boolean withResult) throws SQLException {
    return new Job(
        new JobId(rs.getLong(1), rs.getLong(2)),
        rs.getString(3),
        rs.getString(4),
        rs.getBytes(5),
        rs.getString(6),
        rs.getString(7),
        rs.getInt(8),
        Codes.state(rs.getInt(9)),
        rs.getInt(10),
        rs.getInt(11),
        Duration.ofMillis(rs.getLong(12)),
        Codes.instant(rs.getLong(13)),
        Codes.instant(rs.getLong(14)),
        Codes.instant(rs.getLong(15)),
        withResult ? rs.getBytes(17) : null,
        rs.getString(16));
  }

  /**
   * Makes PostgreSQL plan {@code ps} with its values at every execution (pgjdbc never prepares it
   * on the server). For statements that bind arrays of up to 1,000 ids: a generic plan cannot know
   * their length and joined them by nested loops over the whole batch (quadratic: 0.75 s for a
   * completion of 1,000 in a test), where a plan made with the values goes through the primary key.
   */
  public static PreparedStatement customPlan(PreparedStatement ps) throws SQLException {
    ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
    return ps;
  }

  /**
   * Makes the rest of a PostgreSQL transaction join a batch given as arrays ({@code unnest}) to the
   * rows it names through the primary key and a hash of the batch. Left to itself the planner
   * trusts statistics that lag behind the active table (whose rows live for milliseconds): it
   * estimated one row, chose a nested loop that reads the whole unnested batch once per job, and a
   * move of 768 jobs took 0.2 s instead of 2 ms (quadratic in the batch); with fresher statistics
   * it scanned the whole table, dead rows included. Either way the cost grew with the batch or the
   * table instead of the jobs moved.
   */
  public static void arrayJoinPlan(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL enable_seqscan TO off; SET LOCAL enable_nestloop TO off");
    }
  }

  /** Binds a job id to two consecutive parameters starting at {@code index}. */
  public static int bindId(PreparedStatement ps, int index, JobId id) throws SQLException {
    ps.setLong(index, id.msb());
    ps.setLong(index + 1, id.lsb());
    return index + 2;
  }
}
