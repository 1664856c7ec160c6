package dev.plimsoll.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs units of work in one database transaction each, and turns driver failures into {@link
 * dev.plimsoll.StoreUnavailableException} after rolling back, so a failed call changes nothing.
 */
public interface Transactor extends AutoCloseable {

  /** One unit of work on a connection whose transaction the transactor commits. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction and commits it.
   *
   * @param operation what the work does, for error messages ("insert", "claim", ...)
   */
  <T> T inTransaction(String operation, Work<T> work);

  @Override
  void close();
}
