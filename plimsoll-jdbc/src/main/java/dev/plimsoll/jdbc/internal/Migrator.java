package dev.plimsoll.jdbc.internal;

import dev.plimsoll.jdbc.SchemaVersionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL files of a dialect ({@code
 * dev/plimsoll/jdbc/migrations/<dialect>/V<nnn>__<name>.sql}) that the version table does not list
 * yet, each in the caller's transaction, under the dialect's migration lock, and records them.
 * Running it again changes nothing. A database whose recorded version is newer than the newest file
 * known here is refused: this code would misread its tables.
 */
public final class Migrator {
  /** Every migration, oldest first. Add new files here; a test checks the folder matches. */
  public static final List<String> FILES =
      List.of("V001__init.sql", "V002__round_robin_sharded_pending.sql");

  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
  private final Dialect dialect;
  private final Clock clock;

  public Migrator(Dialect dialect, Clock clock) {
    this.dialect = dialect;
    this.clock = clock;
  }

  public static int latestVersion() {
    return version(FILES.get(FILES.size() - 1));
  }

  static int version(String file) {
    return Integer.parseInt(file.substring(1, file.indexOf("__")));
  }

  /**
   * Brings the schema to {@link #latestVersion()}.
   *
   * @param where names the database in messages
   * @return how many migrations were applied
   */
  public int migrate(Connection c, String where) throws SQLException {
    dialect.lockForMigration(c);
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS plimsoll_schema_version (version INTEGER PRIMARY KEY,"
              + " description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    }
    int current = currentVersion(c);
    if (current > latestVersion()) {
      throw new SchemaVersionException(where, current, latestVersion());
    }
    int applied = 0;
    for (String file : FILES) {
      int version = version(file);
      if (version <= current) {
        continue;
      }
      try (Statement s = c.createStatement()) {
        for (String statement : statements(read(file))) {
          s.execute(statement);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO plimsoll_schema_version (version, description, applied_at)"
                  + " VALUES (?, ?, ?)")) {
        ps.setInt(1, version);
        ps.setString(2, file);
        ps.setLong(3, Codes.micros(clock.instant()));
        ps.executeUpdate();
      }
      LOG.info("applied schema migration {} to {}", file, where);
      applied++;
    }
    return applied;
  }

  private static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM plimsoll_schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private String read(String file) {
    String path = "dev/plimsoll/jdbc/migrations/" + dialect.migrationFolder() + "/" + file;
    try (InputStream in = Migrator.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("migration resource " + path + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration resource " + path, e);
    }
  }

  /** Splits a script at semicolons that end a line; drops comment lines. */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String statement = current.toString().strip();
        statements.add(statement.substring(0, statement.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }
}
