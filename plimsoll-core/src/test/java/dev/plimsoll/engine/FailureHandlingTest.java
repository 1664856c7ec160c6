package dev.plimsoll.engine;

import static dev.plimsoll.engine.Engines.await;
import static dev.plimsoll.engine.Engines.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.BackoffPolicy;
import dev.plimsoll.BreakerConfig;
import dev.plimsoll.Job;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobOutcome;
import dev.plimsoll.JobQuery;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.NonRetryableException;
import dev.plimsoll.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FailureHandlingTest {
  private final SettableClock clock = SettableClock.atFixedStart();

  @Test
  void backoffDoublesFromOneSecondAndIsCappedAtSixtySeconds() {
    BackoffPolicy p = BackoffPolicy.DEFAULT;
    assertThat(p.delay(1, 0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.delay(2, 0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.delay(3, 0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(p.delay(7, 0)).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.delay(500, 0)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void jitterShortensTheDelayByUpToItsShare() {
    BackoffPolicy p = BackoffPolicy.DEFAULT;
    assertThat(p.delay(3, 0.999)).isBetween(Duration.ofMillis(2000), Duration.ofMillis(2010));
    assertThat(p.delay(3, 0.5)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aFailedAttemptIsRetriedAfterItsBackoffUntilAttemptsRunOut() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (JobEngine engine =
        Engines.builder(clock)
            .handler(
                "t",
                ctx -> {
                  calls.incrementAndGet();
                  throw new IllegalStateException("boom " + ctx.attempt());
                })
            .start()) {
      Instant t0 = clock.instant();
      JobId id = engine.submit(JobRequest.of("t", null));

      awaitState(engine, id, JobState.SCHEDULED);
      Job first = engine.get(id).orElseThrow();
      assertThat(first.attempts()).isEqualTo(1);
      assertThat(first.runAt()).isEqualTo(t0.plusSeconds(1));
      assertThat(first.error()).isEqualTo("java.lang.IllegalStateException: boom 1");

      clock.advance(Duration.ofSeconds(1));
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 2);
      awaitState(engine, id, JobState.SCHEDULED);
      assertThat(engine.get(id).orElseThrow().runAt()).isEqualTo(t0.plusSeconds(1 + 2));

      clock.advance(Duration.ofSeconds(2));
      JobOutcome outcome = await(engine, id);
      assertThat(outcome.state()).isEqualTo(JobState.DEAD);
      assertThat(outcome.error()).contains("attempts exhausted (3)").contains("boom 3");
      assertThat(calls.get()).isEqualTo(3);
      assertThat(engine.stats().totalRetried()).isEqualTo(2);
      assertThat(engine.stats().totalDead()).isEqualTo(1);
      assertThat(engine.stats().totalErrors()).isEqualTo(3);
    }
  }

  @Test
  void aNonRetryableFailureGoesStraightToTheDeadLetterQueue() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (JobEngine engine =
        Engines.builder(clock)
            .handler(
                "t",
                ctx -> {
                  calls.incrementAndGet();
                  throw new NonRetryableException("payload is not an order");
                })
            .start()) {
      JobId id = engine.submit(JobRequest.builder("t").maxAttempts(5).build());
      JobOutcome outcome = await(engine, id);
      assertThat(outcome.state()).isEqualTo(JobState.DEAD);
      assertThat(outcome.error()).startsWith("non-retryable: ").contains("payload is not an order");
      assertThat(calls.get()).isEqualTo(1);
    }
  }

  @Test
  void deadJobsCanBeListedRequeuedDeletedAndPurgedThroughTheEngine() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(false);
    try (JobEngine engine =
        Engines.builder(clock)
            .maxAttempts(1)
            .breaker(BreakerConfig.DISABLED)
            .handler(
                "t",
                ctx -> {
                  if (!healthy.get()) {
                    throw new IllegalStateException("down");
                  }
                  return bytes("ok");
                })
            .start()) {
      List<JobId> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        JobId id = engine.submit(JobRequest.of("t", null));
        assertThat(await(engine, id).state()).isEqualTo(JobState.DEAD);
        ids.add(id);
      }
      assertThat(engine.list(JobQuery.inState(JobState.DEAD, 10)).jobs()).hasSize(3);

      healthy.set(true);
      assertThat(engine.requeueDead(ids.get(0))).isTrue();
      assertThat(await(engine, ids.get(0)).state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(engine.deleteDead(ids.get(1))).isTrue();
      assertThat(engine.get(ids.get(1))).isEmpty();
      assertThat(engine.purgeDead()).isEqualTo(1);
      assertThat(engine.list(JobQuery.inState(JobState.DEAD, 10)).jobs()).isEmpty();
    }
  }

  @Test
  void storedResultsAndErrorsAreCappedWithAMarker() throws Exception {
    try (JobEngine engine =
        Engines.builder(clock)
            .maxResultBytes(100)
            .maxErrorChars(200)
            .maxAttempts(1)
            .handler("big", ctx -> new byte[10_000])
            .handler(
                "loud",
                ctx -> {
                  throw new IllegalStateException("x".repeat(5_000));
                })
            .start()) {
      JobOutcome big = await(engine, engine.submit(JobRequest.of("big", null)));
      assertThat(big.result()).hasSize(100);
      assertThat(Engines.text(big.result())).endsWith("…[truncated 9900 bytes]");

      JobOutcome loud = await(engine, engine.submit(JobRequest.of("loud", null)));
      assertThat(loud.error()).hasSizeLessThanOrEqualTo(200 + "attempts exhausted (1): ".length());
      assertThat(loud.error()).contains("…[truncated");
    }
  }

  @Test
  void theDefaultCapsAre64KiBOfResultAnd8KiBOfError() throws Exception {
    try (JobEngine engine =
        Engines.builder(clock)
            .maxAttempts(1)
            .handler("big", ctx -> new byte[1_000_000])
            .handler(
                "loud",
                ctx -> {
                  throw new IllegalStateException("y".repeat(100_000));
                })
            .start()) {
      assertThat(await(engine, engine.submit(JobRequest.of("big", null))).result())
          .hasSize(64 * 1024);
      JobId loud = engine.submit(JobRequest.of("loud", null));
      assertThat(await(engine, loud).error().length()).isLessThan(8 * 1024 + 64);
    }
  }

  @Test
  void anOpenBreakerPausesItsTypeWithoutBurningAttemptsThenProbesAndCloses() throws Exception {
    AtomicBoolean failing = new AtomicBoolean(true);
    AtomicInteger calls = new AtomicInteger();
    try (JobEngine engine =
        Engines.builder(clock)
            .concurrency(1)
            .maxAttempts(1)
            .breaker(new BreakerConfig(true, 0.5, 20, 10, Duration.ofSeconds(30), 1))
            .handler(
                "flaky",
                ctx -> {
                  calls.incrementAndGet();
                  if (failing.get()) {
                    throw new IllegalStateException("downstream unavailable");
                  }
                  return null;
                })
            .handler("other", ctx -> null)
            .start()) {
      for (int i = 0; i < 10; i++) {
        assertThat(await(engine, engine.submit(JobRequest.of("flaky", null))).state())
            .isEqualTo(JobState.DEAD);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> !engine.stats().openBreakers().isEmpty());
      assertThat(engine.stats().openBreakers()).containsExactly("flaky:OPEN");
      assertThat(engine.health().reasons()).anyMatch(r -> r.contains("circuit breaker"));

      JobId waiting = engine.submit(JobRequest.of("flaky", null));
      JobId unaffected = engine.submit(JobRequest.of("other", null));
      assertThat(await(engine, unaffected).state()).isEqualTo(JobState.SUCCEEDED);
      Job paused = engine.get(waiting).orElseThrow();
      assertThat(paused.state()).isEqualTo(JobState.QUEUED);
      assertThat(paused.attempts()).isZero();
      assertThat(calls.get()).isEqualTo(10);

      failing.set(false);
      clock.advance(Duration.ofSeconds(30));
      assertThat(await(engine, waiting).state()).isEqualTo(JobState.SUCCEEDED);
      await().atMost(Duration.ofSeconds(5)).until(() -> engine.stats().openBreakers().isEmpty());
    }
  }

  @Test
  void aFailedProbeOpensTheBreakerAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (JobEngine engine =
        Engines.builder(clock)
            .concurrency(1)
            .maxAttempts(1)
            .breaker(new BreakerConfig(true, 0.5, 4, 2, Duration.ofSeconds(10), 1))
            .handler(
                "flaky",
                ctx -> {
                  calls.incrementAndGet();
                  throw new IllegalStateException("still down");
                })
            .start()) {
      await(engine, engine.submit(JobRequest.of("flaky", null)));
      await(engine, engine.submit(JobRequest.of("flaky", null)));
      await().atMost(Duration.ofSeconds(5)).until(() -> engine.stats().openBreakers().size() == 1);

      JobId a = engine.submit(JobRequest.of("flaky", null));
      JobId b = engine.submit(JobRequest.of("flaky", null));
      clock.advance(Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 3);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> engine.stats().openBreakers().equals(List.of("flaky:OPEN")));
      int stateA = engine.get(a).orElseThrow().attempts() + engine.get(b).orElseThrow().attempts();
      assertThat(stateA).isEqualTo(1);
    }
  }

  private static void awaitState(JobEngine engine, JobId id, JobState state) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> engine.get(id).orElseThrow().state() == state);
  }
}
