package dev.plimsoll.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SampleRingTest {
  @Test
  void aFullRingOverwritesItsOldestSamplesAndNeverHoldsMoreThanItsCapacity() {
    SampleRing ring = new SampleRing(4);
    for (int i = 0; i < 10; i++) {
      ring.add(i * 1000L, i);
    }
    assertThat(ring.size()).isEqualTo(4);
    assertThat(ring.latest()).isEqualTo(9);
    // Only samples 6..9 remain: their line is +1 per second.
    assertThat(ring.trendSince(0).samples()).isEqualTo(4);
    assertThat(ring.trendSince(0).slopePerHour()).isCloseTo(3600, within(1e-6));
  }

  @Test
  void aTrendSinceATimeLeavesOutOlderSamples() {
    SampleRing ring = new SampleRing(16);
    ring.add(0, 1000); // old outlier
    for (int i = 1; i <= 5; i++) {
      ring.add(i * 1000L, 10);
    }
    assertThat(ring.trendSince(1000).slopePerHour()).isZero();
    assertThat(ring.trendSince(1000).samples()).isEqualTo(5);
    assertThat(ring.trendSince(0).slopePerHour()).isNegative();
  }

  @Test
  void anEmptyRingHasNoLatestValue() {
    assertThat(new SampleRing(2).latest()).isNaN();
  }

  @Test
  void aRingNeedsRoomForTwoSamples() {
    assertThatThrownBy(() -> new SampleRing(1))
        .hasMessageContaining("capacity must be >= 2, was 1");
  }
}
