package dev.plimsoll.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-queue count of pending (SCHEDULED + QUEUED) jobs, kept in shards whose sum is the count.
 *
 * <p>Shard 0 of a queue takes every increase (inserts, retries, releases, recoveries, re-queues)
 * and the rare decreases (cancels, drops); claims subtract from shards 1..{@value #CLAIM_SHARDS}
 * (one per database connection, see {@link PostgresDialect}), so a claim never waits behind an
 * insert that holds the shard-0 row until its synchronous commit. An insert raises shard 0 under
 * that row's lock only if shard 0 plus the other shards, as its snapshot sees them, stays within
 * capacity. The other shards only ever fall, so a stale view of them over-counts: the check is
 * exact when no claim is in flight and conservative (refuses by at most the jobs of claims not yet
 * committed) when one is, never admitting past capacity. Shard-0 rows are locked in queue-name
 * order, so transactions that touch several queues cannot deadlock on them.
 */
public final class PendingCounters {
  /** Shards that claims subtract from (shard 0 is the admission row). */
  public static final int CLAIM_SHARDS = 8;

  private static final String OTHER_SHARDS =
      "(SELECT COALESCE(SUM(o.pending), 0) FROM plimsoll_queue_pending o"
          + " WHERE o.queue = ? AND o.shard <> 0)";

  private PendingCounters() {}

  /** Adds {@code delta} per queue to shard 0 (unchecked: retries and re-queues always fit). */
  public static void add(Connection c, Map<String, Long> deltas) throws SQLException {
    if (deltas.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE plimsoll_queue_pending SET pending = pending + ? WHERE queue = ? AND shard = 0")) {
      boolean any = false;
      for (Map.Entry<String, Long> e : new TreeMap<>(deltas).entrySet()) {
        if (e.getValue() != 0) {
          ps.setLong(1, e.getValue());
          ps.setString(2, e.getKey());
          ps.addBatch();
          any = true;
        }
      }
      if (any) {
        ps.executeBatch();
      }
    }
  }

  /**
   * Raises {@code queue}'s count by {@code n} if the result stays within {@code capacity}.
   *
   * @return -1 when it was raised, else the current count, its shard-0 row locked (the queue is too
   *     full for {@code n})
   */
  public static long reserve(Connection c, String queue, long n, long capacity)
      throws SQLException {
    for (int round = 0; ; round++) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE plimsoll_queue_pending SET pending = pending + ?"
                  + " WHERE queue = ? AND shard = 0 AND pending + ? + "
                  + OTHER_SHARDS
                  + " <= ?")) {
        ps.setLong(1, n);
        ps.setString(2, queue);
        ps.setLong(3, n);
        ps.setString(4, queue);
        ps.setLong(5, capacity);
        if (ps.executeUpdate() == 1) {
          return -1;
        }
      }
      Long current = current(c, queue);
      if (current != null) {
        return current;
      }
      if (round > 0) {
        throw new SQLException("queue counter row for '" + queue + "' could not be created");
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO plimsoll_queue_pending (queue, shard, pending) VALUES (?, 0, 0)"
                  + " ON CONFLICT (queue, shard) DO NOTHING")) {
        ps.setString(1, queue);
        ps.executeUpdate();
      }
    }
  }

  /** The queue's count, its shard-0 row locked until the transaction ends; null without a row. */
  private static Long current(Connection c, String queue) throws SQLException {
    long admitted;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE plimsoll_queue_pending SET pending = pending WHERE queue = ? AND shard = 0"
                + " RETURNING pending")) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        admitted = rs.getLong(1);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT " + OTHER_SHARDS)) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return admitted + rs.getLong(1);
      }
    }
  }
}
