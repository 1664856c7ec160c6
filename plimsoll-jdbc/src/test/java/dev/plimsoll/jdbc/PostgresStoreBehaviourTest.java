package dev.plimsoll.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresStoreBehaviourTest extends JdbcStoreBehaviour {
  static final String SCHEMA = PgTestDatabase.schemaFor(PostgresStoreBehaviourTest.class);

  @BeforeAll
  static void requireServer() {
    PgTestDatabase.requireServer();
  }

  @AfterAll
  static void dropSchema() {
    PgTestDatabase.dropSchema(SCHEMA);
  }

  @Override
  JdbcJobStore newStore() {
    return JdbcJobStore.postgres(PgTestDatabase.URL)
        .user(PgTestDatabase.USER)
        .schema(SCHEMA)
        .build();
  }

  @Override
  void resetDatabase() {
    PgTestDatabase.freshSchema(SCHEMA);
  }

  @Override
  Connection rawConnection() throws SQLException {
    Connection c = PgTestDatabase.connect();
    try (Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + SCHEMA);
    }
    return c;
  }
}
