package dev.plimsoll.jdbc;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The PostgreSQL server of the test machine (127.0.0.1:5432, database test, user postgres, trust
 * auth). Each test class uses its own schema, dropped and created fresh. When the server is down
 * the test is skipped, or fails when services are required ({@code -Dplimsoll.requireServices=1} or
 * {@code PLIMSOLL_REQUIRE_SERVICES=1}).
 */
public final class PgTestDatabase {
  public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final String USER = "postgres";
  public static final String HOW_TO_START =
      "PostgreSQL is not reachable at 127.0.0.1:5432 (database test, user postgres); start it with"
          + " 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'";

  private PgTestDatabase() {}

  /** Skips (or fails, when services are required) unless PostgreSQL answers. */
  public static void requireServer() {
    try (Connection c = connect()) {
      c.isValid(2);
    } catch (SQLException e) {
      if (servicesRequired()) {
        fail(HOW_TO_START + ": " + e.getMessage());
      }
      assumeTrue(false, HOW_TO_START);
    }
  }

  static boolean servicesRequired() {
    String prop = System.getProperty("plimsoll.requireServices", "");
    String env = System.getenv().getOrDefault("PLIMSOLL_REQUIRE_SERVICES", "");
    return "1".equals(prop.trim()) || "1".equals(env.trim()) || "true".equalsIgnoreCase(prop);
  }

  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(URL + "?connectTimeout=2", USER, "");
  }

  /** A schema name for {@code testClass}: {@code plimsoll_t_<simple name in lower case>}. */
  public static String schemaFor(Class<?> testClass) {
    return "plimsoll_t_" + testClass.getSimpleName().toLowerCase(Locale.ROOT);
  }

  /** Drops {@code schema} if present and creates it empty. */
  public static void freshSchema(String schema) {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
  }

  public static void dropSchema(String schema) {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  public static void execute(String... statements) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test database statement failed: " + e.getMessage(), e);
    }
  }
}
