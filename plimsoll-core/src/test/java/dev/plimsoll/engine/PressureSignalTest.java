package dev.plimsoll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.HealthStatus;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobQuery;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.MemoryPressureException;
import dev.plimsoll.PressureSignal;
import dev.plimsoll.SettableClock;
import java.util.List;
import org.junit.jupiter.api.Test;

class PressureSignalTest {
  private final SettableClock clock = SettableClock.atFixedStart();

  /** A signal a test sets by hand, as the watchdog's sampler would. */
  private static final class ManualSignal implements PressureSignal {
    volatile String shed;
    volatile List<String> reasons = List.of();

    @Override
    public String shedReason() {
      return shed;
    }

    @Override
    public List<String> healthReasons() {
      return reasons;
    }
  }

  @Test
  void whileTheSignalShedsSubmissionsAreRefusedAndNothingIsStored() throws Exception {
    ManualSignal signal = new ManualSignal();
    try (JobEngine engine =
        Engines.builder(clock).pressure(signal).handler("t", ctx -> null).start()) {
      signal.shed = "heap after GC 90% >= 85%";

      assertThatThrownBy(() -> engine.submit(JobRequest.of("t", null)))
          .isInstanceOf(MemoryPressureException.class)
          .hasMessageContaining("heap after GC 90% >= 85%")
          .satisfies(
              e -> assertThat(((MemoryPressureException) e).code()).isEqualTo("memory_pressure"));
      assertThatThrownBy(
              () -> engine.submitAll(List.of(JobRequest.of("t", null), JobRequest.of("t", null))))
          .isInstanceOf(MemoryPressureException.class);

      assertThat(engine.list(JobQuery.inState(JobState.QUEUED, 10)).jobs()).isEmpty();
      assertThat(engine.stats().totalRejected()).isEqualTo(3);
      assertThat(engine.stats().totalQueued()).isZero();

      signal.shed = null;
      Engines.await(engine, engine.submit(JobRequest.of("t", null)));
      assertThat(engine.stats().totalSucceeded()).isEqualTo(1);
    }
  }

  @Test
  void theSignalsReasonsDegradeHealthInPlaceOfTheRawHeapRule() {
    ManualSignal signal = new ManualSignal();
    try (JobEngine engine =
        Engines.builder(clock).pressure(signal).handler("t", ctx -> null).start()) {
      assertThat(engine.health().status()).isEqualTo(HealthStatus.UP);

      signal.reasons = List.of("heap after GC 75% >= 70% (warning)");

      assertThat(engine.health().status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(engine.health().reasons()).containsExactly("heap after GC 75% >= 70% (warning)");
    }
  }
}
