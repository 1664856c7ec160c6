package dev.plimsoll.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.watch.Spike;
import org.junit.jupiter.api.Test;

class SpikeDetectorTest {
  private static final long MB = 1024 * 1024;

  private static SpikeDetector detector() {
    return new SpikeDetector(10_000, 50 * MB, 20, 1_000, 3);
  }

  @Test
  void aRiseOfMoreThanFiftyMegabytesWithinTheWindowIsOneSpikeWithItsPeak() {
    SpikeDetector d = detector();
    d.add(0, 1000 * MB);
    d.add(1000, 1000 * MB);
    d.add(2000, 1060 * MB);
    d.add(3000, 1090 * MB);
    d.add(4000, 1000 * MB);
    assertThat(d.count()).isEqualTo(1);
    Spike s = d.spikes().get(0);
    assertThat(s.startMillis()).isEqualTo(2000);
    assertThat(s.peakMillis()).isEqualTo(3000);
    assertThat(s.riseBytes()).isEqualTo(90 * MB);
    assertThat(s.risePercent()).isEqualTo(9.0);
  }

  @Test
  void aRiseOfMoreThanTwentyPercentIsASpikeEvenWhenSmall() {
    SpikeDetector d = detector();
    d.add(0, 10 * MB);
    d.add(1000, 13 * MB);
    assertThat(d.count()).isEqualTo(1);
    assertThat(d.spikes().get(0).risePercent()).isEqualTo(30.0);
  }

  @Test
  void theSameRiseSpreadBeyondTheWindowIsNoSpike() {
    SpikeDetector d = detector();
    for (int i = 0; i <= 60; i++) {
      d.add(i * 1000L, (1000 + i) * MB); // +1 MB/s: +10 MB per 10 s window, 1 %
    }
    assertThat(d.count()).isZero();
  }

  @Test
  void spikesPastTheListLimitAreCountedButNotKept() {
    SpikeDetector d = detector();
    for (int i = 0; i < 5; i++) {
      d.add(i * 100_000L, 100 * MB);
      d.add(i * 100_000L + 1000, 200 * MB);
      d.add(i * 100_000L + 50_000, 100 * MB);
    }
    assertThat(d.count()).isEqualTo(5);
    assertThat(d.spikes()).hasSize(3);
  }
}
