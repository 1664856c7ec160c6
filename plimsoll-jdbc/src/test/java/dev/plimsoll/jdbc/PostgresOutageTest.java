package dev.plimsoll.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.JobState;
import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.NewJob;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store through a TCP proxy that cuts and restores the connection to PostgreSQL. */
class PostgresOutageTest {
  @RegisterExtension static final PgSchema PG = new PgSchema(PostgresOutageTest.class);
  static final String SCHEMA = PG.name();

  StoreFixture fixture;
  TcpProxy proxy;
  JdbcJobStore store;

  @BeforeEach
  void openThroughProxy() throws Exception {
    PG.fresh();
    proxy = new TcpProxy("127.0.0.1", 5432);
    fixture = new StoreFixture();
    store =
        JdbcJobStore.postgres("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test")
            .user(PgTestDatabase.USER)
            .schema(SCHEMA)
            .connectionTimeout(Duration.ofSeconds(1))
            .build();
    store.open(fixture.context());
  }

  @AfterEach
  void close() {
    store.close();
    proxy.close();
  }

  @Test
  void withTheDatabaseCutOffAnInsertFailsQuicklyWithAClearErrorAndWorkResumesWhenItReturns() {
    NewJob before = fixture.job("q", "t");
    store.insert(List.of(before));

    proxy.cut();
    NewJob during = fixture.job("q", "t");
    long start = System.nanoTime();
    assertThatThrownBy(() -> store.insert(List.of(during)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("PostgreSQL store")
        .hasMessageContaining("failed to insert 1 job(s)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

    int wakeUpsBefore = fixture.wakeUps.get();
    proxy.restore();
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreException(StoreUnavailableException.class)
        .untilAsserted(() -> assertThat(store.counts().count(JobState.QUEUED)).isEqualTo(1));
    assertThat(store.get(during.id())).isEmpty();
    store.insert(List.of(during));
    assertThat(
            store.claim(
                new ClaimRequest(
                    10, Set.of("t"), "n", fixture.clock.instant(), Duration.ofSeconds(30))))
        .hasSize(2);
    // the LISTEN connection came back by itself and woke the workers
    await().atMost(Duration.ofSeconds(15)).until(() -> fixture.wakeUps.get() > wakeUpsBefore);
  }
}
