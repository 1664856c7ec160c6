package dev.plimsoll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobRequest;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.SettableClock;
import dev.plimsoll.internal.engine.Engine;
import dev.plimsoll.memory.InMemoryJobStore;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The incidents as tests: memory held is O(bounds), not O(jobs processed); thread count is O(1);
 * nothing runs after close.
 */
class LeakTest {
  private static final int MILLION = 1_000_000;
  private static final int RETAINED = 1_000;

  @Test
  void aMillionJobsLeaveOnlyTheRetentionBoundHeldAndPurgedPayloadsCollectable() {
    SettableClock clock = SettableClock.atFixedStart();
    InMemoryJobStore store = new InMemoryJobStore();
    List<WeakReference<byte[]>> early = new ArrayList<>();
    try (JobEngine engine =
        Engines.builder(clock)
            .store(store)
            .concurrency(2)
            .retention(new RetentionPolicy(Duration.ofHours(1), RETAINED))
            .defaultQueue(QueueConfig.block(10_000, Duration.ofMinutes(1)))
            .handler("noop", ctx -> null)
            .start()) {
      List<JobRequest> batch = new ArrayList<>(100);
      for (int i = 0; i < MILLION; i += 100) {
        batch.clear();
        for (int j = 0; j < 100; j++) {
          batch.add(JobRequest.of("noop", new byte[64]));
        }
        List<JobId> ids = engine.submitAll(batch);
        if (i < 100_000 && i % 1_000 == 0) {
          engine.get(ids.get(0)).ifPresent(job -> early.add(new WeakReference<>(job.payload())));
        }
      }
      await().atMost(Duration.ofMinutes(2)).until(() -> engine.stats().totalSucceeded() == MILLION);

      assertThat(store.size()).isLessThanOrEqualTo(RETAINED);
      assertThat(engine.stats().countsByState().values().stream().mapToLong(Long::longValue).sum())
          .isLessThanOrEqualTo(RETAINED);
      assertThat(((Engine) engine).waitingFutures()).isZero();
      assertThat(engine.stats().totalQueued()).isEqualTo(MILLION);
      assertThat(early).hasSizeGreaterThan(50);
      Engines.awaitCollected(early, Duration.ofSeconds(30));
    }
  }

  @Test
  void threadCountIsTheSameForOneJobAndAHundredThousandDelayedOnes() throws Exception {
    SettableClock clock = SettableClock.atFixedStart();
    try (JobEngine engine =
        Engines.builder(clock)
            .concurrency(4)
            .defaultQueue(QueueConfig.reject(200_000))
            .handler("t", ctx -> null)
            .start()) {
      Engines.await(engine, engine.submit(JobRequest.of("t", null)));
      Set<String> withOne = Engines.engineThreads();
      assertThat(withOne).hasSize(5).contains("plimsoll-scheduler");

      List<JobRequest> batch = new ArrayList<>();
      for (int i = 0; i < 100_000; i++) {
        batch.add(JobRequest.builder("t").delay(Duration.ofSeconds(1 + i % 3_600)).build());
        if (batch.size() == 1_000) {
          engine.submitAll(batch);
          batch = new ArrayList<>();
        }
      }
      assertThat(engine.stats().queuedTasks()).isEqualTo(100_000);
      assertThat(Engines.engineThreads()).isEqualTo(withOne);

      clock.advance(Duration.ofHours(2));
      await().atMost(Duration.ofMinutes(1)).until(() -> engine.stats().totalSucceeded() == 100_001);
      assertThat(Engines.engineThreads()).isEqualTo(withOne);
    }
    assertThat(Engines.engineThreads()).isEmpty();
  }
}
