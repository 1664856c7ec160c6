package dev.plimsoll.jdbc.internal;

import dev.plimsoll.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SQLite allows one writer at a time, so every unit of work runs on one connection under one fair
 * lock: callers queue in Java instead of spinning on SQLITE_BUSY. The connection's transactions
 * begin IMMEDIATE, so another process sharing the file waits (busy_timeout) instead of failing
 * half-way through a write.
 */
public final class SqliteTransactor implements Transactor {
  private final ReentrantLock lock = new ReentrantLock(true);
  private final Connection connection;
  private final String where;
  private boolean closed;

  public SqliteTransactor(Connection connection, String where) {
    this.connection = connection;
    this.where = where;
  }

  @Override
  public <T> T inTransaction(String operation, Work<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new StoreUnavailableException("SQLite store " + where + " is closed", null);
      }
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException e) {
        rollback();
        throw new StoreUnavailableException(
            "SQLite store " + where + " failed to " + operation + ": " + e.getMessage(), e);
      } catch (RuntimeException | Error e) {
        rollback();
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the original failure is what the caller needs to see
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        connection.close();
      }
    } catch (SQLException ignored) {
      // nothing left to release
    } finally {
      lock.unlock();
    }
  }
}
