package dev.plimsoll.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresStoreBehaviourTest extends JdbcStoreBehaviour {
  @RegisterExtension static final PgSchema PG = new PgSchema(PostgresStoreBehaviourTest.class);
  static final String SCHEMA = PG.name();

  @Override
  JdbcJobStore newStore() {
    return JdbcJobStore.postgres(PgTestDatabase.URL)
        .user(PgTestDatabase.USER)
        .schema(SCHEMA)
        .build();
  }

  @Override
  void resetDatabase() {
    PG.fresh();
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
