package dev.plimsoll.jdbc.internal;

import dev.plimsoll.JobId;
import dev.plimsoll.JobState;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.HeartbeatResult;
import dev.plimsoll.spi.LeaseRenewal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Claims, leases and the timed moves between active states. A claim raises the job's fencing token
 * and sets its lease; every later write about that attempt names the token, so once the lease was
 * recovered (token raised again) a late heartbeat or completion matches no row and changes nothing.
 */
public final class Leases {
  private final Dialect dialect;
  private final Mover mover;
  private final AtomicInteger rotation = new AtomicInteger();

  public Leases(Dialect dialect, Mover mover) {
    this.dialect = dialect;
    this.mover = mover;
  }

  /**
   * Claims round-robin across queues (see {@link Dialect#claim}); the first queue of a round
   * rotates with every claim of this store, so no queue is always first.
   */
  public List<ClaimedJob> claim(Connection c, ClaimRequest request) throws SQLException {
    Instant until = request.now().plus(request.lease());
    int offset = rotation.getAndIncrement() & Integer.MAX_VALUE;
    return dialect.claim(c, request, until, Codes.micros(request.now()), offset);
  }

  public HeartbeatResult heartbeat(Connection c, List<LeaseRenewal> running, Instant until)
      throws SQLException {
    if (dialect.arrays()) {
      return heartbeatByArrays(c, running, until);
    }
    Set<JobId> lost = new HashSet<>();
    Set<JobId> cancel = new HashSet<>();
    List<LeaseRenewal> ordered = new ArrayList<>(running);
    ordered.sort(Comparator.comparing(LeaseRenewal::id));
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE plimsoll_jobs SET lease_until = ? WHERE id_hi = ? AND id_lo = ?"
                + " AND token = ? AND state = 2 RETURNING cancel_requested")) {
      for (LeaseRenewal r : ordered) {
        ps.setLong(1, Codes.micros(until));
        Rows.bindId(ps, 2, r.id());
        ps.setLong(4, r.token());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            lost.add(r.id());
          } else if (rs.getBoolean(1)) {
            cancel.add(r.id());
          }
        }
      }
    }
    return new HeartbeatResult(lost, cancel);
  }

  /**
   * One statement renews every lease (found through the primary key, as {@link Mover} finds the
   * jobs it moves); a job it does not return has lost its lease.
   */
  private static HeartbeatResult heartbeatByArrays(
      Connection c, List<LeaseRenewal> running, Instant until) throws SQLException {
    int n = running.size();
    Long[] hi = new Long[n];
    Long[] lo = new Long[n];
    Long[] token = new Long[n];
    Set<JobId> lost = new HashSet<>();
    for (int i = 0; i < n; i++) {
      LeaseRenewal r = running.get(i);
      hi[i] = r.id().msb();
      lo[i] = r.id().lsb();
      token[i] = r.token();
      lost.add(r.id());
    }
    Set<JobId> cancel = new HashSet<>();
    Rows.arrayJoinPlan(c);
    try (PreparedStatement ps =
        Rows.customPlan(
            c.prepareStatement(
                "UPDATE plimsoll_jobs j SET lease_until = ?"
                    + " FROM unnest(?::bigint[], ?::bigint[], ?::bigint[]) AS r(hi, lo, tok)"
                    + " WHERE j.id_hi = ANY(?::bigint[]) AND j.id_hi = r.hi AND j.id_lo = r.lo"
                    + " AND j.token = r.tok AND j.state + 0 = 2"
                    + " RETURNING j.id_hi, j.id_lo, j.cancel_requested"))) {
      java.sql.Array his = c.createArrayOf("bigint", hi);
      ps.setLong(1, Codes.micros(until));
      ps.setArray(2, his);
      ps.setArray(3, c.createArrayOf("bigint", lo));
      ps.setArray(4, c.createArrayOf("bigint", token));
      ps.setArray(5, his);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JobId id = new JobId(rs.getLong(1), rs.getLong(2));
          lost.remove(id);
          if (rs.getBoolean(3)) {
            cancel.add(id);
          }
        }
      }
    }
    return new HeartbeatResult(lost, cancel);
  }

  public int promoteDue(Connection c, Instant now, int max) throws SQLException {
    JobState.SCHEDULED.checkMove(JobState.QUEUED);
    // a materialized CTE takes exactly max rows: an IN (subquery LIMIT n FOR UPDATE) may be
    // evaluated again by PostgreSQL and move more than n
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH c AS MATERIALIZED (SELECT "
                + dialect.rowAddress()
                + " AS tid FROM plimsoll_jobs WHERE state = 0"
                + " AND run_at <= ? ORDER BY run_at LIMIT ?"
                + dialect.skipLocked()
                + ") UPDATE plimsoll_jobs SET state = 1, updated_at = ? WHERE "
                + dialect.addressIn("c"))) {
      ps.setLong(1, Codes.micros(now));
      ps.setInt(2, max);
      ps.setLong(3, Codes.micros(now));
      int promoted = ps.executeUpdate();
      if (promoted > 0) {
        dialect.notifyWork(c);
      }
      return promoted;
    }
  }

  public Optional<Instant> nextRunAt(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT MIN(run_at) FROM plimsoll_jobs WHERE state = 0");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long micros = rs.getLong(1);
      return rs.wasNull() ? Optional.empty() : Optional.of(Codes.instant(micros));
    }
  }

  /** An expired attempt: its job, token, queue and whether it has attempts left. */
  private record Expired(JobId id, long token, String queue, boolean exhausted) {}

  public int recoverExpired(Connection c, Instant now, int max) throws SQLException {
    List<Expired> expired = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id_hi, id_lo, token, queue, attempts >= max_attempts FROM plimsoll_jobs"
                + " WHERE state = 2 AND lease_until < ? ORDER BY lease_until LIMIT ?"
                + dialect.skipLocked())) {
      ps.setLong(1, Codes.micros(now));
      ps.setInt(2, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          expired.add(
              new Expired(
                  new JobId(rs.getLong(1), rs.getLong(2)),
                  rs.getLong(3),
                  rs.getString(4),
                  rs.getBoolean(5)));
        }
      }
    }
    long at = Codes.micros(now);
    List<Mover.Move> dead = new ArrayList<>();
    Map<String, Long> requeued = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE plimsoll_jobs SET state = 1, token = token + 1, lease_until = NULL,"
                + " lease_node = NULL, cancel_requested = FALSE, updated_at = ?,"
                + " error = 'lease expired' WHERE id_hi = ? AND id_lo = ? AND token = ?"
                + " AND state = 2")) {
      for (Expired e : expired) {
        if (e.exhausted()) {
          dead.add(
              new Mover.Move(
                  e.id(), new long[] {e.token()}, JobState.DEAD, at, "lease expired", null));
          continue;
        }
        JobState.RUNNING.checkMove(JobState.QUEUED);
        ps.setLong(1, at);
        Rows.bindId(ps, 2, e.id());
        ps.setLong(4, e.token());
        if (ps.executeUpdate() == 1) {
          requeued.merge(e.queue(), 1L, Long::sum);
        }
      }
    }
    int recovered = 0;
    for (boolean moved : mover.moveRunning(c, dead)) {
      recovered += moved ? 1 : 0;
    }
    PendingCounters.add(c, requeued);
    if (!requeued.isEmpty()) {
      dialect.notifyWork(c);
    }
    return recovered + requeued.values().stream().mapToInt(Long::intValue).sum();
  }
}
