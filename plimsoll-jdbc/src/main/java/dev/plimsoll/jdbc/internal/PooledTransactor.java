package dev.plimsoll.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.plimsoll.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs each unit of work on a pooled connection (auto-commit off). A deadlock or serialization
 * failure is retried a few times: the work is idempotent until it commits. Any other driver failure
 * rolls back and becomes a {@link StoreUnavailableException} naming the operation.
 */
public final class PooledTransactor implements Transactor {
  private static final int ATTEMPTS = 5;
  private final HikariDataSource dataSource;
  private final String where;

  public PooledTransactor(HikariDataSource dataSource, String where) {
    this.dataSource = dataSource;
    this.where = where;
  }

  public HikariDataSource dataSource() {
    return dataSource;
  }

  @Override
  public <T> T inTransaction(String operation, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        try {
          T result = work.run(connection);
          connection.commit();
          return result;
        } catch (SQLException e) {
          rollback(connection);
          if (attempt < ATTEMPTS && retryable(e)) {
            continue;
          }
          throw e;
        } catch (RuntimeException | Error e) {
          rollback(connection);
          throw e;
        }
      } catch (SQLException e) {
        throw new StoreUnavailableException(
            "PostgreSQL store " + where + " failed to " + operation + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Runs one statement that cannot run inside a transaction block (e.g. {@code VACUUM}), on a
   * pooled connection in auto-commit mode.
   */
  public void autoCommit(String operation, String sql) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      try (Statement s = connection.createStatement()) {
        s.execute(sql);
      } finally {
        connection.setAutoCommit(false);
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException(
          "PostgreSQL store " + where + " failed to " + operation + ": " + e.getMessage(), e);
    }
  }

  private static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  private static void rollback(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // a broken connection rolls back by itself; the original failure is what matters
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
