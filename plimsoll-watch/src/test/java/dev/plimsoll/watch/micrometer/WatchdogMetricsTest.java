package dev.plimsoll.watch.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.SettableClock;
import dev.plimsoll.watch.Measure;
import dev.plimsoll.watch.MemoryWatchdog;
import dev.plimsoll.watch.WatchdogConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WatchdogMetricsTest {
  @Test
  void theWatchdogsLevelsValuesSlopesAndCrossingsAreExported() {
    SettableClock clock = SettableClock.atFixedStart();
    MemoryWatchdog w =
        MemoryWatchdog.manual(WatchdogConfig.builder().maxHeapBytes(1000).build(), clock);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new WatchdogMetrics(w).bindTo(registry);

    for (int i = 0; i < 5; i++) {
      w.record(Measure.THREADS, 10 + i);
      clock.advance(Duration.ofMinutes(1));
    }
    w.recordHeapAfterGc(750);
    w.recordHeapAfterGc(900);

    assertThat(registry.get("plimsoll.watch.heap.after.gc.fraction").gauge().value())
        .isEqualTo(0.9);
    assertThat(registry.get("plimsoll.watch.shedding").gauge().value()).isEqualTo(1);
    assertThat(registry.get("plimsoll.watch.level").gauge().value()).isEqualTo(2);
    assertThat(registry.get("plimsoll.watch.value").tag("measure", "threads").gauge().value())
        .isEqualTo(14);
    assertThat(registry.get("plimsoll.watch.slope").tag("measure", "threads").gauge().value())
        .isEqualTo(60.0, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(registry.get("plimsoll.watch.r2").tag("measure", "threads").gauge().value())
        .isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(
            registry.get("plimsoll.watch.crossings").tag("to", "warning").functionCounter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("plimsoll.watch.crossings")
                .tag("to", "shedding")
                .functionCounter()
                .count())
        .isEqualTo(1);
    w.recordHeapAfterGc(100);
    assertThat(
            registry.get("plimsoll.watch.crossings").tag("to", "normal").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("plimsoll.watch.shedding").gauge().value()).isZero();
  }
}
