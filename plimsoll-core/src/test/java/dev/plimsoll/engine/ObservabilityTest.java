package dev.plimsoll.engine;

import static dev.plimsoll.engine.Engines.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.BreakerConfig;
import dev.plimsoll.EngineStats;
import dev.plimsoll.HealthRules;
import dev.plimsoll.HealthStatus;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobEvent;
import dev.plimsoll.JobId;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.SettableClock;
import dev.plimsoll.micrometer.PlimsollMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ObservabilityTest {
  private final SettableClock clock = SettableClock.atFixedStart();

  @Test
  void theStatsSnapshotCarriesIncident003sFieldsAndMore() throws Exception {
    try (JobEngine engine =
        Engines.builder(clock)
            .concurrency(4)
            .maxAttempts(1)
            .breaker(BreakerConfig.DISABLED)
            .handler("ok", ctx -> null)
            .handler(
                "bad",
                ctx -> {
                  throw new IllegalStateException("x");
                })
            .start()) {
      for (int i = 0; i < 20; i++) {
        await(engine, engine.submit(JobRequest.of("ok", null)));
      }
      await(engine, engine.submit(JobRequest.of("bad", null)));
      engine.submit(JobRequest.builder("ok").delay(Duration.ofHours(1)).build());

      EngineStats s = engine.stats();
      assertThat(s.totalQueued()).isEqualTo(22);
      assertThat(s.totalProcessed()).isEqualTo(21);
      assertThat(s.totalSucceeded()).isEqualTo(20);
      assertThat(s.totalErrors()).isEqualTo(1);
      assertThat(s.totalDead()).isEqualTo(1);
      assertThat(s.peakActive()).isBetween(1, 4);
      assertThat(s.queuedTasks()).isEqualTo(1);
      assertThat(s.peakQueueSize()).isGreaterThanOrEqualTo(1);
      assertThat(s.maxConcurrency()).isEqualTo(4);
      assertThat(s.running()).isZero();
      assertThat(s.utilizationPercent()).isZero();
      assertThat(s.countsByState())
          .containsEntry(JobState.SUCCEEDED, 20L)
          .containsEntry(JobState.DEAD, 1L)
          .containsEntry(JobState.SCHEDULED, 1L);
      assertThat(s.waitTime().samples()).isEqualTo(21);
      assertThat(s.runTime().samples()).isEqualTo(21);
      assertThat(s.engineThreads()).isEqualTo(5);
    }
  }

  @Test
  void listenersHearEveryEventAndTheirExceptionsAreCountedNotThrown() throws Exception {
    List<JobEvent.Kind> seen = new CopyOnWriteArrayList<>();
    try (JobEngine engine =
        Engines.builder(clock)
            .listener(e -> seen.add(e.kind()))
            .listener(
                e -> {
                  throw new IllegalStateException("buggy listener");
                })
            .handler("t", ctx -> null)
            .start()) {
      JobId id = engine.submit(JobRequest.of("t", null));
      await(engine, id);
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 3);
      // SUBMITTED is told by the submitter after the insert, so a fast worker's STARTED may come
      // first (docs/engine.md); STARTED always precedes SUCCEEDED.
      assertThat(seen)
          .contains(JobEvent.Kind.SUBMITTED)
          .containsSubsequence(JobEvent.Kind.STARTED, JobEvent.Kind.SUCCEEDED);
      assertThat(engine.stats().listenerErrors()).isGreaterThanOrEqualTo(3);
      assertThat(await(engine, engine.submit(JobRequest.of("t", null))).state())
          .isEqualTo(JobState.SUCCEEDED);
    }
  }

  @Test
  void healthIsUpWhenEveryRulePasses() throws Exception {
    try (JobEngine engine = Engines.builder(clock).handler("t", ctx -> null).start()) {
      await(engine, engine.submit(JobRequest.of("t", null)));
      assertThat(engine.health().status()).isEqualTo(HealthStatus.UP);
      assertThat(engine.health().reasons()).isEmpty();
    }
  }

  @Test
  void queueDepthAboveItsLimitDegradesHealth() {
    try (JobEngine engine =
        Engines.builder(clock)
            .healthRules(new HealthRules(3, 0.05, Duration.ofSeconds(1), 1.0, 20))
            .handler("t", ctx -> null)
            .build()) {
      engine.start();
      for (int i = 0; i < 4; i++) {
        engine.submit(JobRequest.builder("t").delay(Duration.ofHours(1)).build());
      }
      assertThat(engine.health().status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(engine.health().reasons()).contains("queue depth 4 > 3");
    }
  }

  @Test
  void aHighFailureRateDegradesHealth() throws Exception {
    try (JobEngine engine =
        Engines.builder(clock)
            .maxAttempts(1)
            .breaker(BreakerConfig.DISABLED)
            .healthRules(new HealthRules(5_000, 0.05, Duration.ofSeconds(1), 1.0, 10))
            .handler(
                "bad",
                ctx -> {
                  throw new IllegalStateException("x");
                })
            .start()) {
      for (int i = 0; i < 10; i++) {
        await(engine, engine.submit(JobRequest.of("bad", null)));
      }
      assertThat(engine.health().reasons())
          .anyMatch(r -> r.startsWith("failure rate 100.0% > 5.0%"));
    }
  }

  @Test
  void aLongAverageRunTimeDegradesHealth() throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    try (JobEngine engine =
        Engines.builder(clock)
            .concurrency(1)
            .healthRules(new HealthRules(5_000, 0.05, Duration.ofSeconds(1), 1.0, 1))
            .handler(
                "slow",
                ctx -> {
                  ready.countDown();
                  clock.advance(Duration.ofSeconds(3));
                  return null;
                })
            .start()) {
      await(engine, engine.submit(JobRequest.of("slow", null)));
      assertThat(engine.health().reasons()).contains("average run time 3000 ms > 1000 ms");
    }
  }

  @Test
  void heapUseAboveItsLimitDegradesHealth() {
    try (JobEngine engine =
        Engines.builder(clock)
            .healthRules(new HealthRules(5_000, 0.05, Duration.ofSeconds(1), 0.000_001, 20))
            .start()) {
      assertThat(engine.health().reasons()).anyMatch(r -> r.startsWith("heap used"));
    }
  }

  @Test
  void metersKeepWorkingWhenTheBinderIsNotKept() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (JobEngine engine = Engines.builder(clock).handler("t", ctx -> null).start()) {
      new PlimsollMetrics(engine).bindTo(registry);
      java.lang.ref.WeakReference<Object> probe = new java.lang.ref.WeakReference<>(new Object());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                System.gc();
                return probe.get() == null;
              });
      await(engine, engine.submit(JobRequest.of("t", null)));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> registry.get("plimsoll.jobs.succeeded").functionCounter().count() == 1.0);
      assertThat(registry.get("plimsoll.workers.max").gauge().value()).isEqualTo(10.0);
    }
  }

  @Test
  void micrometerMetersFollowTheEngine() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (JobEngine engine = Engines.builder(clock).handler("t", ctx -> null).start()) {
      new PlimsollMetrics(engine).bindTo(registry);
      for (int i = 0; i < 5; i++) {
        await(engine, engine.submit(JobRequest.of("t", null)));
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> registry.get("plimsoll.jobs.succeeded").functionCounter().count() == 5.0);
      assertThat(registry.get("plimsoll.jobs.submitted").functionCounter().count()).isEqualTo(5.0);
      assertThat(registry.get("plimsoll.workers.max").gauge().value()).isEqualTo(10.0);
      assertThat(registry.get("plimsoll.jobs.state").tag("state", "SUCCEEDED").gauge().value())
          .isEqualTo(5.0);
      assertThat(registry.find("plimsoll.jobs.rejected").functionCounter()).isNotNull();
    }
  }
}
