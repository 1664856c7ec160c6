package dev.plimsoll.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.jdbc.internal.Migrator;
import dev.plimsoll.jdbc.internal.PgListener;
import dev.plimsoll.jdbc.internal.PooledTransactor;
import dev.plimsoll.jdbc.internal.PostgresDialect;
import dev.plimsoll.jdbc.internal.Vacuum;
import dev.plimsoll.spi.StoreContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Configures a PostgreSQL store: a HikariCP pool over the official driver, plus one connection that
 * LISTENs for new work. Defaults: pool of 10, connection timeout 3 s, schema from the URL (usually
 * {@code public}).
 */
public final class PostgresStoreBuilder {
  /**
   * Default size of the connection pool: every engine worker claims and completes on its own
   * connection, and the scheduler, the LISTEN connection and submitters need theirs, so keep it at
   * least the engine's concurrency + 4 (default concurrency 10).
   */
  public static final int DEFAULT_POOL_SIZE = 16;

  /** Default wait for a pooled connection before an operation fails as unavailable. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);

  /** Default number of finished jobs between two vacuums of the store's tables by the store. */
  public static final long DEFAULT_VACUUM_AFTER = 25_000;

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,47}");

  private final String jdbcUrl;
  private final DataSource dataSource;
  private String user;
  private String password;
  private String schema;
  private int poolSize = DEFAULT_POOL_SIZE;
  private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
  private boolean listen = true;
  private long vacuumAfter = DEFAULT_VACUUM_AFTER;

  PostgresStoreBuilder(String jdbcUrl, DataSource dataSource) {
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "postgres jdbcUrl must start with jdbc:postgresql:, got '" + jdbcUrl + "'");
    }
    this.jdbcUrl = jdbcUrl;
    this.dataSource = dataSource;
  }

  public PostgresStoreBuilder user(String user) {
    this.user = user;
    return this;
  }

  public PostgresStoreBuilder password(String password) {
    this.password = password;
    return this;
  }

  /**
   * The schema holding Plimsoll's tables, created if missing: lower-case letters, digits and
   * underscores, at most 48 characters.
   */
  public PostgresStoreBuilder schema(String schema) {
    Objects.requireNonNull(schema, "schema");
    if (!IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "postgres schema must match "
              + IDENTIFIER.pattern()
              + " (lower case, at most 48 characters), got '"
              + schema
              + "'");
    }
    this.schema = schema;
    return this;
  }

  /**
   * Connections in the pool, 2 to 200 (one of them LISTENs). Give it at least the engine's
   * concurrency + 4: workers waiting for connections starve submissions.
   */
  public PostgresStoreBuilder poolSize(int size) {
    if (size < 2 || size > 200) {
      throw new IllegalArgumentException(
          "postgres poolSize must be between 2 and 200, got " + size);
    }
    this.poolSize = size;
    return this;
  }

  /**
   * How long an operation waits for a connection before failing as unavailable (250 ms to 5 min).
   */
  public PostgresStoreBuilder connectionTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "connectionTimeout");
    if (timeout.toMillis() < 250 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(
          "postgres connectionTimeout must be between 250 ms and 5 min, got " + timeout);
    }
    this.connectionTimeout = timeout;
    return this;
  }

  /**
   * Whether idle workers wake on {@code LISTEN/NOTIFY} (default true). Without it they find new
   * work only by the engine's poll.
   */
  public PostgresStoreBuilder listen(boolean enabled) {
    this.listen = enabled;
    return this;
  }

  /**
   * The store vacuums its own tables ({@code VACUUM (SKIP_LOCKED)}, never {@code FULL}) after every
   * {@code finishedJobs} jobs this node finished: 0 (never: autovacuum alone keeps them) or 1,000
   * to 1,000,000,000; default {@value #DEFAULT_VACUUM_AFTER}. Each job leaves dead rows and dead
   * index entries where claims start their scan, so without vacuum a claim's cost grows with the
   * jobs processed; autovacuum visits a table at most once a minute by default. Needs the user to
   * own the tables (it created them); a failure is logged and changes nothing else.
   */
  public PostgresStoreBuilder vacuumAfter(long finishedJobs) {
    if (finishedJobs != 0 && (finishedJobs < 1_000 || finishedJobs > 1_000_000_000L)) {
      throw new IllegalArgumentException(
          "postgres vacuumAfter must be 0 (never) or between 1,000 and 1,000,000,000 finished jobs,"
              + " got "
              + finishedJobs);
    }
    this.vacuumAfter = finishedJobs;
    return this;
  }

  public JdbcJobStore build() {
    HikariConfig config = new HikariConfig();
    if (jdbcUrl != null) {
      config.setJdbcUrl(jdbcUrl);
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
      int seconds = (int) Math.max(1, connectionTimeout.toSeconds());
      config.addDataSourceProperty("connectTimeout", String.valueOf(seconds));
      config.addDataSourceProperty("loginTimeout", String.valueOf(seconds));
      config.addDataSourceProperty("socketTimeout", "60");
      config.addDataSourceProperty("tcpKeepAlive", "true");
      config.addDataSourceProperty("ApplicationName", "plimsoll");
    } else {
      config.setDataSource(dataSource);
    }
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    if (schema != null) {
      if (jdbcUrl == null) {
        throw new IllegalStateException(
            "postgres schema(...) works with a jdbcUrl only; select the schema in the DataSource");
      }
      // a startup parameter, not SET: a SET inside the first transaction would be rolled back
      // with it
      config.addDataSourceProperty("currentSchema", schema);
    }
    config.setAutoCommit(false);

    config.setMaximumPoolSize(poolSize);
    config.setConnectionTimeout(connectionTimeout.toMillis());
    config.setValidationTimeout(Math.min(1_000, connectionTimeout.toMillis()));
    config.setPoolName("plimsoll-pg");
    String where =
        (jdbcUrl != null ? jdbcUrl : "a DataSource") + (schema != null ? " schema " + schema : "");
    String wantedSchema = schema;
    boolean listening = listen;
    long vacuumEvery = vacuumAfter;
    return new JdbcJobStore(
        new JdbcJobStore.Backend() {
          @Override
          public JdbcJobStore.Connected connect(StoreContext context) {
            return open(config, where, wantedSchema, listening, vacuumEvery, context);
          }

          @Override
          public String describe() {
            return where;
          }
        });
  }

  private static JdbcJobStore.Connected open(
      HikariConfig config,
      String where,
      String schema,
      boolean listen,
      long vacuumAfter,
      StoreContext context) {
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(
          "cannot connect to PostgreSQL at " + where + ": " + rootMessage(e), e);
    }
    PooledTransactor tx = new PooledTransactor(pool, where);
    try {
      String current =
          tx.inTransaction(
              "prepare its schema",
              c -> {
                if (schema != null) {
                  try (Statement s = c.createStatement()) {
                    s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                  }
                }
                return currentSchema(c);
              });
      PostgresDialect dialect = new PostgresDialect(channel(current));
      tx.inTransaction(
          "migrate its schema", c -> new Migrator(dialect, context.clock()).migrate(c, where));
      PgListener listener = null;
      if (listen) {
        listener =
            new PgListener(
                pool,
                dialect.channel(),
                dialect.sender(),
                context.workAvailable(),
                "plimsoll-pg-listen");
        listener.start();
      }
      LoggerFactory.getLogger(JdbcJobStore.class)
          .info("opened PostgreSQL job store {} (tables in schema {})", where, current);
      Vacuum vacuum = vacuumAfter > 0 ? new Vacuum(tx, vacuumAfter) : null;
      return new JdbcJobStore.Connected(dialect, tx, listener, vacuum);
    } catch (RuntimeException e) {
      tx.close();
      throw e;
    }
  }

  private static String currentSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_schema()")) {
      rs.next();
      String name = rs.getString(1);
      if (name == null) {
        throw new SQLException("no schema is selected: set one with schema(...) or the URL");
      }
      return name;
    }
  }

  private static String channel(String schema) {
    String safe = schema.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return "plimsoll_work_" + (safe.length() > 48 ? safe.substring(0, 48) : safe);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
