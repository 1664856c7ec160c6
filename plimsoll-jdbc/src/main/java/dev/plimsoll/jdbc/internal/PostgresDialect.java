package dev.plimsoll.jdbc.internal;

import dev.plimsoll.spi.ClaimRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL: several nodes share the tables. Claims lock rows with {@code FOR UPDATE SKIP LOCKED},
 * so concurrent claimers never wait for or take each other's jobs; new work is announced with
 * {@code NOTIFY} on a channel named after the schema.
 */
public final class PostgresDialect implements Dialect {
  private static final String CLAIM =
      "WITH c AS (SELECT id_hi, id_lo FROM plimsoll_jobs WHERE state = 1 AND type = ANY(?)"
          + " ORDER BY priority DESC, run_at, id_hi, id_lo LIMIT ? FOR UPDATE SKIP LOCKED)"
          + " UPDATE plimsoll_jobs j SET state = 2, attempts = j.attempts + 1,"
          + " token = j.token + 1, lease_until = ?, lease_node = ?, updated_at = ?,"
          + " cancel_requested = FALSE"
          + " FROM c WHERE j.id_hi = c.id_hi AND j.id_lo = c.id_lo RETURNING "
          + Rows.qualified("j", Rows.ACTIVE)
          + ", j.token";

  private final String channel;

  /**
   * @param channel the LISTEN/NOTIFY channel of this store's schema
   */
  public PostgresDialect(String channel) {
    this.channel = channel;
  }

  public String channel() {
    return channel;
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
  public boolean deleteInCte() {
    return true;
  }

  @Override
  public PreparedStatement prepareClaim(
      Connection c, ClaimRequest request, long leaseUntil, long now) throws SQLException {
    PreparedStatement ps = c.prepareStatement(CLAIM);
    ps.setArray(1, c.createArrayOf("text", request.types().toArray()));
    ps.setInt(2, request.max());
    ps.setLong(3, leaseUntil);
    ps.setString(4, request.nodeId());
    ps.setLong(5, now);
    return ps;
  }

  @Override
  public void notifyWork(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("NOTIFY " + channel);
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
