package dev.plimsoll.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.NewJob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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

  @Test
  void theStoreVacuumsItsTablesOnceItFinishedVacuumAfterJobs() throws Exception {
    store.close();
    store =
        JdbcJobStore.postgres(PgTestDatabase.URL)
            .user(PgTestDatabase.USER)
            .schema(SCHEMA)
            .vacuumAfter(1_000)
            .build();
    store.open(fixture.context());
    long before = vacuums();
    finishJobs(999);
    assertThat(vacuums()).isEqualTo(before);

    finishJobs(1);

    await().atMost(Duration.ofSeconds(10)).until(() -> vacuums() > before);
  }

  @Test
  void vacuumAfterOutsideItsRangeIsRefusedNamingTheSettingAndTheLimits() {
    assertThatThrownBy(() -> JdbcJobStore.postgres(PgTestDatabase.URL).vacuumAfter(999))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vacuumAfter")
        .hasMessageContaining("1,000")
        .hasMessageContaining("got 999");
  }

  private void finishJobs(int n) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(fixture.job("q", "t"));
    }
    store.insert(jobs);
    List<Completion> done = new ArrayList<>();
    for (ClaimedJob cj : store.claim(claim(n, "t"))) {
      done.add(Completion.succeeded(cj.job().id(), cj.token(), null, now()));
    }
    assertThat(done).hasSize(n);
    store.complete(done);
  }

  /** Manual vacuums of the active-jobs table so far, as PostgreSQL counts them. */
  private long vacuums() throws SQLException {
    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = '"
                    + SCHEMA
                    + "' AND relname = 'plimsoll_jobs'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
