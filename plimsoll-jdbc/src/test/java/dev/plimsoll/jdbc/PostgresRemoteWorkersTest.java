package dev.plimsoll.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.Job;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.LeaseStatus;
import dev.plimsoll.RemoteClaim;
import dev.plimsoll.RemoteLease;
import dev.plimsoll.SettableClock;
import dev.plimsoll.ShutdownMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Remote workers on a durable store with leases of its own (PostgreSQL): heartbeats renew the
 * store's lease too, a job held at shutdown stays RUNNING and the next start's orphan recovery
 * returns it, and a claim parked on one node is woken by a job submitted on another.
 */
class PostgresRemoteWorkersTest {
  @RegisterExtension static final PgSchema PG = new PgSchema(PostgresRemoteWorkersTest.class);
  private static final Duration LEASE = Duration.ofSeconds(10);

  private final SettableClock clock = SettableClock.atFixedStart();
  private final List<JobEngine> engines = new ArrayList<>();

  @BeforeEach
  void fresh() {
    PG.fresh();
  }

  @AfterEach
  void stop() {
    for (JobEngine e : engines) {
      e.shutdown(ShutdownMode.CANCEL_PENDING, Duration.ZERO);
    }
  }

  private JobEngine node(String name) {
    JobEngine e =
        JobEngine.builder()
            .store(
                JdbcJobStore.postgres(PgTestDatabase.URL)
                    .user(PgTestDatabase.USER)
                    .schema(PG.name())
                    .build())
            .clock(clock)
            .nodeId(name)
            .concurrency(1)
            .lease(LEASE)
            .pollInterval(Duration.ofMillis(200))
            .acceptTypesWithoutHandler(true)
            .start();
    engines.add(e);
    return e;
  }

  private static RemoteClaim claim(Duration wait) {
    return new RemoteClaim("py-worker", Set.of("remote"), 10, wait);
  }

  @Test
  void heartbeatsRenewTheStoresLeaseSoItsOrphanRecoveryLeavesTheJobAlone() throws Exception {
    JobEngine engine = node("a");
    JobId id =
        engine.submit(
            JobRequest.builder("remote")
                .payload(new byte[] {1})
                .timeout(Duration.ofMinutes(5))
                .build());
    RemoteLease lease =
        engine.remoteWorkers().claim(claim(Duration.ZERO)).get(5, TimeUnit.SECONDS).get(0);
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(8));
      assertThat(engine.remoteWorkers().heartbeat(id, lease.token()))
          .isEqualTo(LeaseStatus.RENEWED);
    }
    // 32 s after the claim, past three lease lengths: had only the engine's lease been renewed,
    // the store's recovery (run by the scheduler every lease / 3) would have taken the job back
    clock.advance(Duration.ofSeconds(4));
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> engine.get(id).orElseThrow().state() == JobState.RUNNING);

    assertThat(engine.remoteWorkers().succeed(id, lease.token(), new byte[] {42})).isTrue();
    Job done = engine.get(id).orElseThrow();
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(done.result()).containsExactly(42);
  }

  @Test
  void aLeaseThatExpiresFailsTheAttemptThroughTheStoreWithItsTokenFenced() throws Exception {
    JobEngine engine = node("a");
    JobId id = engine.submit(JobRequest.builder("remote").maxAttempts(1).build());
    RemoteLease lease =
        engine.remoteWorkers().claim(claim(Duration.ZERO)).get(5, TimeUnit.SECONDS).get(0);
    clock.advance(LEASE);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> engine.get(id).orElseThrow().state() == JobState.DEAD);
    assertThat(engine.get(id).orElseThrow().error()).contains("lease expired");
    assertThat(engine.remoteWorkers().succeed(id, lease.token(), null)).isFalse();
    assertThat(engine.stats().staleRemoteReports()).isEqualTo(1);
  }

  @Test
  void aJobHeldAtShutdownStaysRunningAndTheNextStartRecoversIt() throws Exception {
    JobEngine first = node("a");
    JobId id = first.submit(JobRequest.of("remote", null));
    RemoteLease lease =
        first.remoteWorkers().claim(claim(Duration.ZERO)).get(5, TimeUnit.SECONDS).get(0);

    first.shutdown(ShutdownMode.CANCEL_PENDING, Duration.ZERO);
    assertThat(first.remoteWorkers().activeLeases()).isZero();

    JobEngine second = node("b");
    assertThat(second.get(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    clock.advance(LEASE.plusSeconds(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> second.get(id).orElseThrow().state() == JobState.QUEUED);
    List<RemoteLease> again =
        second.remoteWorkers().claim(claim(Duration.ZERO)).get(5, TimeUnit.SECONDS);
    assertThat(again).extracting(l -> l.job().id()).containsExactly(id);
    assertThat(again.get(0).job().attempts()).isEqualTo(2);
    assertThat(again.get(0).token()).isNotEqualTo(lease.token());
  }

  @Test
  void aClaimParkedOnOneNodeIsWokenByAJobSubmittedOnAnother() throws Exception {
    JobEngine a = node("a");
    JobEngine b = node("b");
    CompletableFuture<List<RemoteLease>> parked =
        a.remoteWorkers().claim(claim(Duration.ofSeconds(60)));
    assertThat(parked).isNotDone();

    JobId id = b.submit(JobRequest.of("remote", null));

    assertThat(parked.get(10, TimeUnit.SECONDS)).extracting(l -> l.job().id()).containsExactly(id);
    assertThat(b.get(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
  }
}
