package dev.plimsoll.jdbc;

import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.jdbc.internal.Migrator;
import dev.plimsoll.jdbc.internal.SqliteDialect;
import dev.plimsoll.jdbc.internal.SqliteTransactor;
import dev.plimsoll.spi.StoreContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Configures a SQLite store: one file, WAL journal, writes serialized in this process. Defaults:
 * {@code synchronous} {@link SqliteSynchronous#NORMAL}, busy timeout 5 s.
 */
public final class SqliteStoreBuilder {
  /** Default wait for another process's write lock on the same file. */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

  private final Path file;
  private SqliteSynchronous synchronous = SqliteSynchronous.NORMAL;
  private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;

  SqliteStoreBuilder(Path file) {
    this.file = file;
  }

  /** How often SQLite waits for the disk; see {@link SqliteSynchronous}. */
  public SqliteStoreBuilder synchronous(SqliteSynchronous level) {
    this.synchronous = Objects.requireNonNull(level, "synchronous");
    return this;
  }

  /** How long a write waits for another process holding the file's write lock (1 ms to 10 min). */
  public SqliteStoreBuilder busyTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "busyTimeout");
    if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "sqlite busyTimeout must be between 1 ms and 10 min, got " + timeout);
    }
    this.busyTimeout = timeout;
    return this;
  }

  public JdbcJobStore build() {
    Path target = file.toAbsolutePath();
    SqliteSynchronous level = synchronous;
    int busyMillis = (int) busyTimeout.toMillis();
    return new JdbcJobStore(
        new JdbcJobStore.Backend() {
          @Override
          public JdbcJobStore.Connected connect(StoreContext context) {
            return open(target, level, busyMillis, context);
          }

          @Override
          public String describe() {
            return "sqlite:" + target;
          }
        });
  }

  private static JdbcJobStore.Connected open(
      Path file, SqliteSynchronous level, int busyMillis, StoreContext context) {
    String where = "sqlite:" + file;
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot create the folder of " + where, e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(level.name()));
    config.setBusyTimeout(busyMillis);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    Connection connection;
    try {
      connection = config.createConnection("jdbc:sqlite:" + file);
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot open " + where + ": " + e.getMessage(), e);
    }
    SqliteDialect dialect = new SqliteDialect();
    SqliteTransactor tx = new SqliteTransactor(connection, file.toString());
    try {
      tx.inTransaction(
          "migrate its schema", c -> new Migrator(dialect, context.clock()).migrate(c, where));
    } catch (RuntimeException e) {
      tx.close();
      throw e;
    }
    LoggerFactory.getLogger(JdbcJobStore.class)
        .info("opened SQLite job store {} (WAL, synchronous={})", file, level);
    return new JdbcJobStore.Connected(dialect, tx, null, null);
  }
}
