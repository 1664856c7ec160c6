package dev.plimsoll.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.HealthStatus;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobRequest;
import dev.plimsoll.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An engine whose PostgreSQL connection is cut and restored by a TCP proxy inside the test. */
class PostgresEngineOutageTest {
  @RegisterExtension static final PgSchema PG = new PgSchema(PostgresEngineOutageTest.class);
  static final String SCHEMA = PG.name();

  TcpProxy proxy;
  JobEngine engine;
  final Set<JobId> ran = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() throws Exception {
    PG.fresh();
    proxy = new TcpProxy("127.0.0.1", 5432);
    engine =
        JobEngine.builder()
            .store(
                JdbcJobStore.postgres("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test")
                    .user(PgTestDatabase.USER)
                    .schema(SCHEMA)
                    .connectionTimeout(Duration.ofSeconds(1))
                    .build())
            .lease(Duration.ofSeconds(2))
            .pollInterval(Duration.ofMillis(200))
            .handler(
                "work",
                ctx -> {
                  ran.add(ctx.id());
                  return null;
                })
            .start();
  }

  @AfterEach
  void stop() {
    engine.close();
    proxy.close();
  }

  @Test
  void withTheDatabaseCutOffSubmitFailsClearlyTheEngineStaysUpAndWorkResumesByItself() {
    JobId first = engine.submit(JobRequest.of("work", new byte[0]));
    await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(first));
    Instant due = Instant.now().plusMillis(500);
    JobId delayed = engine.submit(JobRequest.builder("work").runAt(due).build());

    proxy.cut();
    assertThatThrownBy(() -> engine.submit(JobRequest.of("work", new byte[0])))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("failed to insert 1 job(s)");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                engine.health().status() == HealthStatus.DEGRADED
                    && Instant.now().isAfter(due.plusMillis(200)));
    assertThat(engine.health().reasons()).anyMatch(r -> r.contains("store unavailable"));
    assertThat(ran).doesNotContain(delayed);

    proxy.restore();
    AtomicReference<JobId> after = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreException(StoreUnavailableException.class)
        .until(
            () -> {
              after.compareAndSet(null, engine.submit(JobRequest.of("work", new byte[0])));
              return true;
            });
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(ran).contains(delayed, after.get()));
    await().atMost(Duration.ofSeconds(15)).until(() -> engine.health().isUp());
  }
}
