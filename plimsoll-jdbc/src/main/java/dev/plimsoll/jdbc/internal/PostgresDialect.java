package dev.plimsoll.jdbc.internal;

import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL: several nodes share the tables. Claims lock rows with {@code FOR UPDATE SKIP LOCKED},
 * so concurrent claimers never wait for or take each other's jobs; new work is announced with
 * {@code NOTIFY} on a channel named after the schema.
 */
public final class PostgresDialect implements Dialect {
  /**
   * One statement per claim. {@code q}: queues with pending jobs, numbered for the rotation (the
   * same statement relaxes the commit, see {@link #relaxCommit}). {@code c}: per queue, up to
   * {@code max} of its best QUEUED jobs, locked and skipping rows other claimers hold (one probe of
   * the claim index per queue). {@code p}: the round-robin pick, rank within the queue first, then
   * the queue's place after the rotation. {@code u} moves them to RUNNING (joined by row address,
   * checked by id), {@code d} subtracts them from this connection's counter shard. Rows locked in
   * {@code c} but not picked stay QUEUED and are free again when the transaction ends. Both locking
   * steps are MATERIALIZED so they run exactly once.
   */
  private static final String CLAIM =
      "WITH q AS (SELECT queue, row_number() OVER (ORDER BY queue) - 1 AS qn,"
          + " count(*) OVER () AS nq FROM plimsoll_queue_pending"
          + " WHERE (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL"
          + " GROUP BY queue HAVING SUM(pending) > 0),"
          + " c AS MATERIALIZED (SELECT j.tid, j.id_hi, j.id_lo, j.queue, j.priority, j.run_at,"
          + " q.qn, q.nq FROM q CROSS JOIN LATERAL (SELECT ctid AS tid, id_hi, id_lo, queue,"
          + " priority, run_at FROM plimsoll_jobs WHERE state = 1 AND queue = q.queue"
          + " AND type = ANY(?) ORDER BY priority DESC, run_at, id_hi, id_lo LIMIT ?"
          + " FOR UPDATE SKIP LOCKED) j),"
          + " p AS MATERIALIZED (SELECT tid, id_hi, id_lo, rn, rot FROM (SELECT tid, id_hi, id_lo,"
          + " row_number() OVER (PARTITION BY queue ORDER BY priority DESC, run_at, id_hi, id_lo)"
          + " AS rn, (qn + nq - (? % nq)) % nq AS rot FROM c) r ORDER BY rn, rot LIMIT ?),"
          + " u AS (UPDATE plimsoll_jobs j SET state = 2, attempts = j.attempts + 1,"
          + " token = j.token + 1, lease_until = ?, lease_node = ?, updated_at = ?,"
          + " cancel_requested = FALSE FROM p"
          + " WHERE j.ctid = p.tid AND j.id_hi = p.id_hi AND j.id_lo = p.id_lo RETURNING "
          + Rows.qualified("j", Rows.ACTIVE)
          + ", j.token, p.rn, p.rot),"
          + " d AS (INSERT INTO plimsoll_queue_pending AS t (queue, shard, pending)"
          + " SELECT queue, 1 + pg_backend_pid() % "
          + PendingCounters.CLAIM_SHARDS
          + ", -COUNT(*) FROM u GROUP BY queue ORDER BY queue"
          + " ON CONFLICT (queue, shard) DO UPDATE SET pending = t.pending + EXCLUDED.pending)"
          + " SELECT "
          + Rows.ACTIVE
          + ", token FROM u ORDER BY rn, rot";

  private final String channel;
  private final String sender = java.util.UUID.randomUUID().toString();

  /**
   * @param channel the LISTEN/NOTIFY channel of this store's schema
   */
  public PostgresDialect(String channel) {
    this.channel = channel;
  }

  public String channel() {
    return channel;
  }

  /**
   * The payload of this store's notifications about its own inserts, which its own listener
   * ignores: the engine that inserted the jobs has already woken its workers, and a second wake-up
   * would only send every idle worker to find nothing (measured on an idle node: 6.4 claim
   * transactions per job picked up with them, 3.2 without).
   */
  public String sender() {
    return sender;
  }

  @Override
  public String migrationFolder() {
    return "postgresql";
  }

  @Override
  public String displayName() {
    return "PostgreSQL";
  }

  @Override
  public String skipLocked() {
    return " FOR UPDATE SKIP LOCKED";
  }

  @Override
  public String forUpdate() {
    return " FOR UPDATE";
  }

  @Override
  public String blobType() {
    return "BYTEA";
  }

  @Override
  public String rowAddress() {
    return "ctid";
  }

  @Override
  public String addressIn(String cte) {
    return "ctid = ANY(ARRAY(SELECT tid FROM " + cte + "))";
  }

  @Override
  public boolean arrays() {
    return true;
  }

  @Override
  public boolean deleteInCte() {
    return true;
  }

  @Override
  public List<ClaimedJob> claim(
      Connection c, ClaimRequest request, Instant leaseUntil, long now, int offset)
      throws SQLException {
    List<ClaimedJob> claimed = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
      ps.setArray(1, c.createArrayOf("text", request.types().toArray()));
      ps.setInt(2, request.max());
      ps.setInt(3, offset);
      ps.setInt(4, request.max());
      ps.setLong(5, Codes.micros(leaseUntil));
      ps.setString(6, request.nodeId());
      ps.setLong(7, now);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          claimed.add(new ClaimedJob(Rows.job(rs, false), rs.getLong(17), leaseUntil));
        }
      }
    }
    return claimed;
  }

  @Override
  public void notifyWork(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("NOTIFY " + channel);
    }
  }

  @Override
  public void notifyInserted(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("NOTIFY " + channel + ", '" + sender + "'");
    }
  }

  @Override
  public void relaxCommit(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL synchronous_commit TO OFF");
    }
  }

  @Override
  public void lockForMigration(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(74061720, hashtext(current_schema()))");
    }
  }
}
