package dev.plimsoll.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WatchdogConfigTest {
  @Test
  void theDefaultsWarnAtSeventyShedAtEightyFiveAndResumeBelowSeventy() {
    WatchdogConfig c = WatchdogConfig.defaults();
    assertThat(c.warnFraction()).isEqualTo(0.70);
    assertThat(c.shedFraction()).isEqualTo(0.85);
    assertThat(c.resumeFraction()).isEqualTo(0.70);
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.capacity()).isEqualTo(1024);
  }

  @Test
  void eachBadSettingIsRefusedNamingItAndItsLimit() {
    assertThatThrownBy(() -> WatchdogConfig.builder().interval(Duration.ofMillis(1)).build())
        .hasMessage("watchdog.interval must be between 10ms and 1h, was PT0.001S");
    assertThatThrownBy(
            () ->
                WatchdogConfig.builder()
                    .interval(Duration.ofSeconds(10))
                    .trendWindow(Duration.ofSeconds(15))
                    .build())
        .hasMessageStartingWith("watchdog.trendWindow must be at least 2 intervals");
    assertThatThrownBy(() -> WatchdogConfig.builder().capacity(8).build())
        .hasMessage("watchdog.capacity must be between 16 and 100000 samples, was 8");
    assertThatThrownBy(() -> WatchdogConfig.builder().warnFraction(1.5).build())
        .hasMessage("watchdog.warnFraction must be in (0, 1], was 1.5");
    assertThatThrownBy(() -> WatchdogConfig.builder().shedFraction(0).build())
        .hasMessage("watchdog.shedFraction must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> WatchdogConfig.builder().warnFraction(0.9).build())
        .hasMessage("watchdog.warnFraction must be <= watchdog.shedFraction (0.85), was 0.9");
    assertThatThrownBy(() -> WatchdogConfig.builder().resumeFraction(0.9).build())
        .hasMessage("watchdog.resumeFraction must be <= watchdog.shedFraction (0.85), was 0.9");
    assertThatThrownBy(() -> WatchdogConfig.builder().maxHeapBytes(-1).build())
        .hasMessageStartingWith("watchdog.maxHeapBytes must be >= 0");
  }
}
