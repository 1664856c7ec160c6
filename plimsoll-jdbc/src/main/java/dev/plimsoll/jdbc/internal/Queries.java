package dev.plimsoll.jdbc.internal;

import dev.plimsoll.InvalidJobException;
import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import dev.plimsoll.JobPage;
import dev.plimsoll.JobQuery;
import dev.plimsoll.JobState;
import dev.plimsoll.spi.StoreCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads: one job, pages of jobs across both tables, and counts. */
public final class Queries {
  private final String both;

  public Queries(Dialect dialect) {
    this.both =
        "(SELECT "
            + Rows.ACTIVE
            + ", CAST(NULL AS "
            + dialect.blobType()
            + ") AS result FROM plimsoll_jobs UNION ALL SELECT "
            + Rows.ACTIVE
            + ", result FROM plimsoll_finished) j";
  }

  public Optional<Job> get(Connection c, JobId id) throws SQLException {
    Optional<Job> active =
        one(c, "SELECT " + Rows.ACTIVE + " FROM plimsoll_jobs WHERE id_hi = ? AND id_lo = ?", id);
    if (active.isPresent()) {
      return active;
    }
    return one(
        c,
        "SELECT " + Rows.ACTIVE + ", result FROM plimsoll_finished WHERE id_hi = ? AND id_lo = ?",
        id);
  }

  private static Optional<Job> one(Connection c, String sql, JobId id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Rows.bindId(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        boolean withResult = rs.getMetaData().getColumnCount() > 16;
        return rs.next() ? Optional.of(Rows.job(rs, withResult)) : Optional.empty();
      }
    }
  }

  public JobPage list(Connection c, JobQuery query) throws SQLException {
    JobId after = query.cursor() == null ? null : parseCursor(query.cursor());
    StringBuilder sql = new StringBuilder("SELECT * FROM ").append(both).append(" WHERE TRUE");
    List<Object> args = new ArrayList<>();
    if (query.state() != null) {
      sql.append(" AND state = ?");
      args.add(Codes.code(query.state()));
    }
    if (query.type() != null) {
      sql.append(" AND type = ?");
      args.add(query.type());
    }
    if (query.queue() != null) {
      sql.append(" AND queue = ?");
      args.add(query.queue());
    }
    if (query.owner() != null) {
      sql.append(" AND owner = ?");
      args.add(query.owner());
    }
    if (after != null) {
      sql.append(" AND (id_hi < ? OR (id_hi = ? AND id_lo < ?))");
      args.add(after.msb());
      args.add(after.msb());
      args.add(after.lsb());
    }
    sql.append(" ORDER BY id_hi DESC, id_lo DESC LIMIT ?");
    args.add(query.limit() + 1);
    List<Job> jobs = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          jobs.add(Rows.job(rs, true));
        }
      }
    }
    if (jobs.size() <= query.limit()) {
      return new JobPage(jobs, null);
    }
    List<Job> page = jobs.subList(0, query.limit());
    return new JobPage(page, page.get(page.size() - 1).id().toString());
  }

  private static JobId parseCursor(String cursor) {
    try {
      return JobId.parse(cursor);
    } catch (InvalidJobException e) {
      throw new InvalidJobException("cursor", "must be a cursor returned by a previous page");
    }
  }

  public StoreCounts counts(Connection c) throws SQLException {
    Map<JobState, Long> byState = new EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) {
      byState.put(s, 0L);
    }
    for (String table : new String[] {"plimsoll_jobs", "plimsoll_finished"}) {
      try (PreparedStatement ps =
              c.prepareStatement("SELECT state, COUNT(*) FROM " + table + " GROUP BY state");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byState.merge(Codes.state(rs.getInt(1)), rs.getLong(2), Long::sum);
        }
      }
    }
    Map<String, Long> pending = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT queue, SUM(pending) FROM plimsoll_queue_pending GROUP BY queue"
                    + " HAVING SUM(pending) > 0");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        pending.put(rs.getString(1), rs.getLong(2));
      }
    }
    return new StoreCounts(byState, pending);
  }
}
