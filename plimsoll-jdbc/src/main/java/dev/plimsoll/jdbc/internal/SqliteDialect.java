package dev.plimsoll.jdbc.internal;

import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQLite: one writer at a time ({@link SqliteTransactor}), so claims need no row locks and no
 * notifications (every writer is in this process and the engine wakes its own workers).
 */
public final class SqliteDialect implements Dialect {

  @Override
  public String migrationFolder() {
    return "sqlite";
  }

  @Override
  public String displayName() {
    return "SQLite";
  }

  @Override
  public String skipLocked() {
    return "";
  }

  @Override
  public String forUpdate() {
    return "";
  }

  @Override
  public String blobType() {
    return "BLOB";
  }

  @Override
  public String rowAddress() {
    return "rowid";
  }

  @Override
  public String addressIn(String cte) {
    return "rowid IN (SELECT tid FROM " + cte + ")";
  }

  @Override
  public boolean arrays() {
    return false;
  }

  @Override
  public boolean deleteInCte() {
    return false;
  }

  /**
   * Writers are serialized, so the claim reads the best jobs of each queue with pending jobs (one
   * probe of the claim index per queue), picks them round-robin here, and moves the picked rows.
   */
  @Override
  public List<ClaimedJob> claim(
      Connection c, ClaimRequest request, Instant leaseUntil, long now, int offset)
      throws SQLException {
    List<String> queues = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT queue FROM plimsoll_queue_pending GROUP BY queue HAVING SUM(pending) > 0"
                    + " ORDER BY queue");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        queues.add(rs.getString(1));
      }
    }
    List<List<Long>> candidates = new ArrayList<>();
    String types = String.join(", ", Collections.nCopies(request.types().size(), "?"));
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT rowid FROM plimsoll_jobs WHERE state = 1 AND queue = ? AND type IN ("
                + types
                + ") ORDER BY priority DESC, run_at, id_hi, id_lo LIMIT ?")) {
      for (int k = 0; k < queues.size(); k++) {
        String queue = queues.get((k + offset) % queues.size());
        int i = 1;
        ps.setString(i++, queue);
        for (String type : request.types()) {
          ps.setString(i++, type);
        }
        ps.setInt(i, request.max());
        List<Long> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(rs.getLong(1));
          }
        }
        candidates.add(rows);
      }
    }
    List<Long> picked = RoundRobin.pick(candidates, request.max());
    if (picked.isEmpty()) {
      return List.of();
    }
    Map<Long, Integer> order = new HashMap<>();
    for (int k = 0; k < picked.size(); k++) {
      order.put(picked.get(k), k);
    }
    ClaimedJob[] claimed = new ClaimedJob[picked.size()];
    Map<String, Long> leftPending = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE plimsoll_jobs SET state = 2, attempts = attempts + 1, token = token + 1,"
                + " lease_until = ?, lease_node = ?, updated_at = ?, cancel_requested = FALSE"
                + " WHERE state = 1 AND rowid IN ("
                + String.join(", ", Collections.nCopies(picked.size(), "?"))
                + ") RETURNING "
                + Rows.ACTIVE
                + ", token, rowid")) {
      int i = 1;
      ps.setLong(i++, Codes.micros(leaseUntil));
      ps.setString(i++, request.nodeId());
      ps.setLong(i++, now);
      for (long rowid : picked) {
        ps.setLong(i++, rowid);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ClaimedJob job = new ClaimedJob(Rows.job(rs, false), rs.getLong(17), leaseUntil);
          claimed[order.get(rs.getLong(18))] = job;
          leftPending.merge(job.job().queue(), -1L, Long::sum);
        }
      }
    }
    PendingCounters.add(c, leftPending);
    List<ClaimedJob> result = new ArrayList<>(picked.size());
    for (ClaimedJob job : claimed) {
      if (job != null) {
        result.add(job);
      }
    }
    return result;
  }

  @Override
  public void notifyWork(Connection c) {
    // every writer of the file is in this process: the engine wakes its own workers
  }

  @Override
  public void relaxCommit(Connection c) {
    // the file's synchronous setting applies to every transaction
  }

  @Override
  public void lockForMigration(Connection c) {
    // transactions begin IMMEDIATE: the write lock is already held
  }
}
