package dev.plimsoll.jdbc;

import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.JobStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresJobStoreContractTest extends JobStoreContract {
  static final String SCHEMA = PgTestDatabase.schemaFor(PostgresJobStoreContractTest.class);

  @BeforeAll
  static void requireServer() {
    PgTestDatabase.requireServer();
  }

  @AfterAll
  static void dropSchema() {
    PgTestDatabase.dropSchema(SCHEMA);
  }

  @Override
  protected JobStore newStore() {
    PgTestDatabase.freshSchema(SCHEMA);
    return JdbcJobStore.postgres(PgTestDatabase.URL)
        .user(PgTestDatabase.USER)
        .schema(SCHEMA)
        .build();
  }
}
