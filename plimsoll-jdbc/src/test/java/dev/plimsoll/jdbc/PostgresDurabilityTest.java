package dev.plimsoll.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresDurabilityTest extends DurabilityBehaviour {
  static final String SCHEMA = PgTestDatabase.schemaFor(PostgresDurabilityTest.class);

  @BeforeAll
  static void freshSchema() {
    PgTestDatabase.requireServer();
    PgTestDatabase.freshSchema(SCHEMA);
  }

  @AfterAll
  static void dropSchema() {
    PgTestDatabase.dropSchema(SCHEMA);
  }

  @Override
  String dialect() {
    return "postgres";
  }

  @Override
  String target() {
    return SCHEMA;
  }

  @Override
  JdbcJobStore newStore() {
    return JdbcJobStore.postgres(PgTestDatabase.URL)
        .user(PgTestDatabase.USER)
        .schema(SCHEMA)
        .poolSize(4)
        .build();
  }
}
