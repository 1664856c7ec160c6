package dev.plimsoll.engine;

import static dev.plimsoll.engine.Engines.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.BreakerConfig;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.SettableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionTest {
  private final SettableClock clock = SettableClock.atFixedStart();

  @Test
  void finishedJobsArePurgedByAgeAtTheMaintenanceInterval() throws Exception {
    try (JobEngine engine =
        Engines.builder(clock)
            .retention(new RetentionPolicy(Duration.ofHours(1), 10_000))
            .maintenanceInterval(Duration.ofSeconds(60))
            .handler("t", ctx -> null)
            .start()) {
      JobId id = engine.submit(JobRequest.of("t", null));
      await(engine, id);

      clock.advance(Duration.ofMinutes(59));
      await().during(Duration.ofMillis(100)).until(() -> engine.get(id).isPresent());

      clock.advance(Duration.ofMinutes(2));
      await().atMost(Duration.ofSeconds(10)).until(() -> engine.get(id).isEmpty());
      assertThat(engine.stats().totalPurged()).isEqualTo(1);
    }
  }

  @Test
  void finishedJobsBeyondTheCountAreEvictedAtOnce() throws Exception {
    try (JobEngine engine =
        Engines.builder(clock)
            .retention(new RetentionPolicy(Duration.ofHours(1), 10))
            .handler("t", ctx -> null)
            .start()) {
      for (int i = 0; i < 50; i++) {
        await(engine, engine.submit(JobRequest.of("t", null)));
      }
      assertThat(engine.stats().countsByState().get(JobState.SUCCEEDED)).isEqualTo(10);
      clock.advance(Duration.ofSeconds(61));
      await().atMost(Duration.ofSeconds(10)).until(() -> engine.stats().totalPurged() == 40);
    }
  }

  @Test
  void deadJobsAreKeptFourteenDaysByDefaultThenPurged() throws Exception {
    try (JobEngine engine =
        Engines.builder(clock)
            .maxAttempts(1)
            .breaker(BreakerConfig.DISABLED)
            .handler(
                "t",
                ctx -> {
                  throw new IllegalStateException("x");
                })
            .start()) {
      JobId id = engine.submit(JobRequest.of("t", null));
      assertThat(await(engine, id).state()).isEqualTo(JobState.DEAD);

      clock.advance(Duration.ofDays(13));
      await().during(Duration.ofMillis(100)).until(() -> engine.get(id).isPresent());
      clock.advance(Duration.ofDays(1).plusMinutes(2));
      await().atMost(Duration.ofSeconds(10)).until(() -> engine.get(id).isEmpty());
    }
  }

  @Test
  void theDeadLetterCountBoundEvictsTheOldest() throws Exception {
    try (JobEngine engine =
        Engines.builder(clock)
            .maxAttempts(1)
            .breaker(BreakerConfig.DISABLED)
            .deadRetention(new RetentionPolicy(Duration.ofDays(14), 3))
            .handler(
                "t",
                ctx -> {
                  throw new IllegalStateException("x");
                })
            .start()) {
      JobId first = engine.submit(JobRequest.of("t", null));
      await(engine, first);
      for (int i = 0; i < 5; i++) {
        await(engine, engine.submit(JobRequest.of("t", null)));
      }
      assertThat(engine.stats().countsByState().get(JobState.DEAD)).isEqualTo(3);
      assertThat(engine.get(first)).isEmpty();
    }
  }
}
