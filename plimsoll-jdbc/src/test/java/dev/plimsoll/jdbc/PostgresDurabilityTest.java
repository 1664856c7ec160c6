package dev.plimsoll.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresDurabilityTest extends DurabilityBehaviour {
  @RegisterExtension static final PgSchema PG = new PgSchema(PostgresDurabilityTest.class);
  static final String SCHEMA = PG.name();

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
