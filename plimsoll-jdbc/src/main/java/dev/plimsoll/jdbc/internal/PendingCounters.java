package dev.plimsoll.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-queue count of pending (SCHEDULED + QUEUED) jobs, one row per queue. Every transaction
 * that moves jobs into or out of the pending states adjusts its queue's row, so an insert reads and
 * raises the count under that row's lock: two concurrent inserts into one queue cannot both take
 * the last free place. Rows are always locked in queue-name order, so transactions that touch
 * several queues cannot deadlock on them.
 */
public final class PendingCounters {

  private PendingCounters() {}

  /** Adds {@code delta} per queue (unchecked: retries and re-queues always fit). */
  public static void add(Connection c, Map<String, Long> deltas) throws SQLException {
    if (deltas.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE plimsoll_queue_pending SET pending = pending + ? WHERE queue = ?")) {
      for (Map.Entry<String, Long> e : new TreeMap<>(deltas).entrySet()) {
        if (e.getValue() != 0) {
          ps.setLong(1, e.getValue());
          ps.setString(2, e.getKey());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /**
   * Raises {@code queue}'s count by {@code n} if the result stays within {@code capacity}.
   *
   * @return -1 when it was raised, else the current count, its row locked (the queue is too full
   *     for {@code n})
   */
  public static long reserve(Connection c, String queue, long n, long capacity)
      throws SQLException {
    for (int round = 0; ; round++) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE plimsoll_queue_pending SET pending = pending + ?"
                  + " WHERE queue = ? AND pending + ? <= ?")) {
        ps.setLong(1, n);
        ps.setString(2, queue);
        ps.setLong(3, n);
        ps.setLong(4, capacity);
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
              "INSERT INTO plimsoll_queue_pending (queue, pending) VALUES (?, 0)"
                  + " ON CONFLICT (queue) DO NOTHING")) {
        ps.setString(1, queue);
        ps.executeUpdate();
      }
    }
  }

  /** The queue's count, with its row locked until the transaction ends; null without a row. */
  private static Long current(Connection c, String queue) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE plimsoll_queue_pending SET pending = pending WHERE queue = ? RETURNING pending")) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }
}
