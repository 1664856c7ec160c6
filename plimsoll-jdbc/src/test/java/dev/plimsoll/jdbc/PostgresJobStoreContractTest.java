package dev.plimsoll.jdbc;

import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.JobStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresJobStoreContractTest extends JobStoreContract {
  @RegisterExtension static final PgSchema PG = new PgSchema(PostgresJobStoreContractTest.class);
  static final String SCHEMA = PG.name();

  @Override
  protected JobStore newStore() {
    PG.fresh();
    return JdbcJobStore.postgres(PgTestDatabase.URL)
        .user(PgTestDatabase.USER)
        .schema(SCHEMA)
        .build();
  }
}
