package dev.plimsoll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobOutcome;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.SettableClock;
import dev.plimsoll.memory.InMemoryJobStore;
import dev.plimsoll.spi.ForwardingJobStore;
import dev.plimsoll.spi.HeartbeatResult;
import dev.plimsoll.spi.LeaseRenewal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Jobs a worker has claimed but not started yet are still the engine's responsibility. */
class ClaimedBatchTest {
  private final SettableClock clock = SettableClock.atFixedStart();

  /** The in-memory store, claiming to have leases, recording every heartbeat. */
  static final class LeasedStore extends ForwardingJobStore {
    final Set<JobId> renewed = ConcurrentHashMap.newKeySet();

    LeasedStore() {
      super(new InMemoryJobStore());
    }

    @Override
    public boolean leases() {
      return true;
    }

    @Override
    public HeartbeatResult heartbeat(List<LeaseRenewal> running, Instant until) {
      running.forEach(r -> renewed.add(r.id()));
      return super.heartbeat(running, until);
    }
  }

  @Test
  void heartbeatsRenewTheLeasesOfClaimedJobsWaitingBehindTheRunningOne() throws Exception {
    LeasedStore store = new LeasedStore();
    CountDownLatch secondStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Set<String> ran = ConcurrentHashMap.newKeySet();
    try (JobEngine engine =
        Engines.builder(clock)
            .store(store)
            .concurrency(1)
            .lease(Duration.ofSeconds(3))
            .handler(
                "t",
                ctx -> {
                  String name = Engines.text(ctx.payload());
                  ran.add(name);
                  if (name.equals("second")) {
                    secondStarted.countDown();
                    release.await(30, TimeUnit.SECONDS);
                  }
                  return null;
                })
            .build()) {
      engine.submit(JobRequest.of("t", Engines.bytes("first")));
      JobId second = engine.submit(JobRequest.of("t", Engines.bytes("second")));
      JobId third = engine.submit(JobRequest.of("t", Engines.bytes("third")));
      engine.start(); // claims 1 ("first"), then a full batch of 2: "second" runs, "third" waits
      assertThat(secondStarted.await(10, TimeUnit.SECONDS)).isTrue();

      clock.advance(Duration.ofSeconds(1));
      await().atMost(Duration.ofSeconds(10)).until(() -> store.renewed.contains(third));
      assertThat(store.renewed).contains(second);

      assertThat(engine.cancel(third)).isTrue();
      release.countDown();
      JobOutcome outcome = Engines.await(engine, third);
      assertThat(outcome.state()).isEqualTo(JobState.CANCELLED);
      assertThat(ran).containsExactlyInAnyOrder("first", "second");
      assertThat(Engines.await(engine, second).state()).isEqualTo(JobState.SUCCEEDED);
    }
  }

  @Test
  void retentionThatFallsBehindKeepsPurgingWithoutWaitingForTheNextInterval() throws Exception {
    try (JobEngine engine =
        Engines.builder(clock)
            .retention(new RetentionPolicy(Duration.ofMinutes(1), 10_000))
            .purgeBatch(10) // 20 batches a pass: 200 jobs, a fifth of the backlog
            .handler("t", ctx -> null)
            .start()) {
      List<JobRequest> batch = new java.util.ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        batch.add(JobRequest.of("t", null));
      }
      engine.submitAll(batch);
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.stats().totalSucceeded() == 1_000);

      clock.advance(Duration.ofMinutes(2)); // one maintenance interval, once
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.stats().totalPurged() == 1_000);
      assertThat(engine.stats().countsByState().get(JobState.SUCCEEDED)).isZero();
    }
  }
}
