package dev.plimsoll.jdbc.internal;

import dev.plimsoll.spi.ClaimRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;

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
  public boolean deleteInCte() {
    return false;
  }

  @Override
  public PreparedStatement prepareClaim(
      Connection c, ClaimRequest request, long leaseUntil, long now) throws SQLException {
    String types = String.join(", ", Collections.nCopies(request.types().size(), "?"));
    PreparedStatement ps =
        c.prepareStatement(
            "UPDATE plimsoll_jobs SET state = 2, attempts = attempts + 1, token = token + 1,"
                + " lease_until = ?, lease_node = ?, updated_at = ?, cancel_requested = FALSE"
                + " WHERE rowid IN (SELECT rowid FROM plimsoll_jobs WHERE state = 1 AND type IN ("
                + types
                + ") ORDER BY priority DESC, run_at, id_hi, id_lo LIMIT ?) RETURNING "
                + Rows.ACTIVE
                + ", token");
    int i = 1;
    ps.setLong(i++, leaseUntil);
    ps.setString(i++, request.nodeId());
    ps.setLong(i++, now);
    for (String type : request.types()) {
      ps.setString(i++, type);
    }
    ps.setInt(i, request.max());
    return ps;
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
