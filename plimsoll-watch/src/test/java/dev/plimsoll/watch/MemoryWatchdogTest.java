package dev.plimsoll.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.BoundedBuffer;
import dev.plimsoll.HealthStatus;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobRequest;
import dev.plimsoll.MemoryPressureException;
import dev.plimsoll.RemoteClaim;
import dev.plimsoll.Scope;
import dev.plimsoll.SettableClock;
import dev.plimsoll.ShutdownMode;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import org.junit.jupiter.api.Test;

class MemoryWatchdogTest {
  private static final long MAX = 1000 * 1024 * 1024L;
  private final SettableClock clock = SettableClock.atFixedStart();

  private MemoryWatchdog manual() {
    return MemoryWatchdog.manual(
        WatchdogConfig.builder()
            .maxHeapBytes(MAX)
            .interval(Duration.ofSeconds(1))
            .trendWindow(Duration.ofMinutes(10))
            .build(),
        clock);
  }

  private static long pct(double p) {
    return (long) (MAX * p / 100);
  }

  @Test
  void belowTheWarningThresholdTheWatchdogIsNormalAndSaysNothing() {
    MemoryWatchdog w = manual();
    w.recordHeapAfterGc(pct(69.9));
    assertThat(w.level()).isEqualTo(PressureLevel.NORMAL);
    assertThat(w.shedReason()).isNull();
    assertThat(w.healthReasons()).isEmpty();
    assertThat(w.heapAfterGcFraction()).isCloseTo(0.699, within(1e-9));
  }

  @Test
  void atSeventyPercentHealthDegradesWithTheReasonButNothingIsShed() {
    MemoryWatchdog w = manual();
    w.recordHeapAfterGc(pct(70));
    assertThat(w.level()).isEqualTo(PressureLevel.WARNING);
    assertThat(w.shedReason()).isNull();
    assertThat(w.healthReasons())
        .containsExactly("heap after GC 70% of max 1000.0 MB >= 70% (warning)");
  }

  @Test
  void atEightyFivePercentSubmissionsAreShedWithAReasonNamingTheThreshold() {
    MemoryWatchdog w = manual();
    w.recordHeapAfterGc(pct(86));
    assertThat(w.level()).isEqualTo(PressureLevel.SHEDDING);
    assertThat(w.shedReason())
        .isEqualTo("heap after GC 86% of max 1000.0 MB >= 85% (shed threshold)");
    assertThat(w.healthReasons()).singleElement().asString().contains("new submissions refused");
  }

  @Test
  void sheddingContinuesBetweenSeventyAndEightyFivePercentAndStopsOnlyBelowSeventy() {
    MemoryWatchdog w = manual();
    w.recordHeapAfterGc(pct(90));
    w.recordHeapAfterGc(pct(80));
    assertThat(w.level()).isEqualTo(PressureLevel.SHEDDING);
    assertThat(w.shedReason()).contains("80%").contains("shedding until below 70%");
    w.recordHeapAfterGc(pct(70));
    assertThat(w.level()).isEqualTo(PressureLevel.SHEDDING);
    w.recordHeapAfterGc(pct(69));
    assertThat(w.level()).isEqualTo(PressureLevel.NORMAL);
    assertThat(w.shedReason()).isNull();
    // Rising again to 80 % only warns: shedding needs 85 % again.
    w.recordHeapAfterGc(pct(80));
    assertThat(w.level()).isEqualTo(PressureLevel.WARNING);
    assertThat(w.shedReason()).isNull();
  }

  @Test
  void everyCrossingIsCountedOnceAndStayingAtALevelCountsNothing() {
    MemoryWatchdog w = manual();
    w.recordHeapAfterGc(pct(75)); // -> warning
    w.recordHeapAfterGc(pct(76));
    w.recordHeapAfterGc(pct(90)); // -> shedding
    w.recordHeapAfterGc(pct(91));
    w.recordHeapAfterGc(pct(50)); // -> normal
    w.recordHeapAfterGc(pct(90)); // -> shedding (straight from normal)
    w.recordHeapAfterGc(pct(10)); // -> normal
    WatchdogSnapshot s = w.snapshot();
    assertThat(s.warnings()).isEqualTo(1);
    assertThat(s.sheddings()).isEqualTo(2);
    assertThat(s.recoveries()).isEqualTo(2);
    assertThat(s.level()).isEqualTo(PressureLevel.NORMAL);
  }

  @Test
  void thresholdsAreConfigurable() {
    MemoryWatchdog w =
        MemoryWatchdog.manual(
            WatchdogConfig.builder()
                .maxHeapBytes(MAX)
                .warnFraction(0.5)
                .shedFraction(0.6)
                .resumeFraction(0.55)
                .build(),
            clock);
    w.recordHeapAfterGc(pct(61));
    assertThat(w.level()).isEqualTo(PressureLevel.SHEDDING);
    w.recordHeapAfterGc(pct(56));
    assertThat(w.level()).isEqualTo(PressureLevel.SHEDDING);
    w.recordHeapAfterGc(pct(54));
    assertThat(w.level()).isEqualTo(PressureLevel.WARNING);
  }

  @Test
  void theHeapTrendIsASlopeOverTheWindowOfTheSettableClock() {
    MemoryWatchdog w = manual();
    w.recordHeapAfterGc(pct(60)); // 20 minutes before the others: outside the 10 min window
    clock.advance(Duration.ofMinutes(20));
    for (int i = 0; i < 10; i++) {
      w.recordHeapAfterGc(pct(10) + i * 1024 * 1024L); // +1 MB per minute
      clock.advance(Duration.ofMinutes(1));
    }
    Trend trend = w.trend(Measure.HEAP_AFTER_GC);
    assertThat(trend.samples()).isEqualTo(10);
    assertThat(trend.slopePerHour() / (1024 * 1024)).isCloseTo(60, within(1e-6));
    assertThat(trend.r2()).isCloseTo(1, within(1e-9));
    assertThat(w.snapshot().trends().get(Measure.HEAP_AFTER_GC)).isEqualTo(trend);
  }

  @Test
  void anEngineWithTheWatchdogRefusesSubmissionsWhileItShedsAndReportsItsReasonsInHealth() {
    MemoryWatchdog w = manual();
    try (JobEngine engine =
        JobEngine.builder().clock(clock).pressure(w).handler("t", ctx -> null).start()) {
      w.watch(engine);
      engine.submit(JobRequest.of("t", null));
      w.recordHeapAfterGc(pct(88));
      assertThatThrownBy(() -> engine.submit(JobRequest.of("t", null)))
          .isInstanceOf(MemoryPressureException.class)
          .hasMessageContaining("heap after GC 88%");
      assertThat(engine.health().status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(engine.health().reasons()).isEqualTo(w.healthReasons());

      w.recordHeapAfterGc(pct(40));
      engine.submit(JobRequest.of("t", null));
      assertThat(engine.health().status()).isEqualTo(HealthStatus.UP);
      assertThat(engine.stats().totalRejected()).isEqualTo(1);
    }
  }

  @Test
  void sampleNowRecordsTheWatchedEnginesHeldCounts() {
    MemoryWatchdog w = manual();
    try (JobEngine engine =
        JobEngine.builder()
            .clock(clock)
            .shutdown(ShutdownMode.CANCEL_PENDING, Duration.ofSeconds(5))
            .handler("t", ctx -> null)
            .acceptTypesWithoutHandler(true)
            .start()) {
      w.watch(engine);
      BoundedBuffer<String> buffer = engine.newBuffer("b", BoundedBuffer.Config.reject(10));
      buffer.offer("x");
      buffer.offer("y");
      Scope scope = engine.openScope("connection");
      try {
        w.sampleNow();
        assertThat(w.latest(Measure.ENGINE_OPEN_SCOPES)).isEqualTo(1);
        assertThat(w.latest(Measure.ENGINE_BUFFERED)).isEqualTo(2);
        assertThat(w.latest(Measure.ENGINE_PENDING)).isZero();
        assertThat(w.latest(Measure.ENGINE_RUNNING)).isZero();
        assertThat(w.latest(Measure.ENGINE_SCOPE_TASKS)).isZero();
        assertThat(w.latest(Measure.ENGINE_REMOTE_LEASES)).isZero();

        engine.submit(JobRequest.of("remote-type", null));
        assertThat(
                engine
                    .remoteWorkers()
                    .claim(new RemoteClaim("w1", Set.of("remote-type"), 1, Duration.ZERO))
                    .join())
            .hasSize(1);
        w.sampleNow();
        assertThat(w.latest(Measure.ENGINE_REMOTE_LEASES)).isEqualTo(1);
      } finally {
        scope.close();
      }
    }
  }

  @Test
  void unknownValuesAreIgnoredAndANegativeHeapIsRefused() {
    MemoryWatchdog w = manual();
    w.record(Measure.OPEN_FILES, -1);
    assertThat(w.latest(Measure.OPEN_FILES)).isNaN();
    assertThatThrownBy(() -> w.recordHeapAfterGc(-5))
        .hasMessageContaining("usedBytes must be >= 0");
  }

  @Test
  void aStartedWatchdogSeesRealCollectionsAndSamplesOnItsOneNamedThreadUntilClosed()
      throws Exception {
    MemoryWatchdog w =
        MemoryWatchdog.start(WatchdogConfig.builder().interval(Duration.ofMillis(20)).build());
    try {
      assertThat(watchdogThreads()).isEqualTo(1);
      System.gc();
      await().atMost(Duration.ofSeconds(10)).until(() -> !Double.isNaN(w.heapAfterGcFraction()));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> w.latest(Measure.RESIDENT_MEMORY) > 0 && w.latest(Measure.THREADS) > 1);
      assertThat(w.heapAfterGcFraction()).isBetween(0.0, 1.0);
      assertThat(w.latest(Measure.OPEN_FILES)).isPositive();
      assertThat(w.latest(Measure.HEAP_AFTER_GC)).isPositive();
    } finally {
      w.close();
      w.close();
    }
    assertThat(w.isClosed()).isTrue();
    assertThat(watchdogThreads()).isZero();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter) {
        assertThatThrownBy(
                () -> ((NotificationEmitter) gc).removeNotificationListener(w.gcListener()))
            .as("the GC listener was removed from %s", gc.getName())
            .isInstanceOf(ListenerNotFoundException.class);
      }
    }
  }

  private static long watchdogThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("plimsoll-watchdog") && t.isAlive())
        .count();
  }
}
