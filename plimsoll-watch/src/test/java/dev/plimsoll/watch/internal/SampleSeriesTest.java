package dev.plimsoll.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.watch.ProcessSample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleSeriesTest {
  private static ProcessSample at(long ms) {
    return new ProcessSample(ms, ms, 1, 1, 0);
  }

  @Test
  void aFullSeriesThinsItselfToEveryOtherSampleAndStaysWithinItsCapacity() {
    SampleSeries series = new SampleSeries(100);
    for (int i = 0; i < 10_000; i++) {
      series.add(at(i));
      assertThat(series.samples().size()).isLessThanOrEqualTo(100);
    }
    List<ProcessSample> kept = series.samples();
    assertThat(series.offered()).isEqualTo(10_000);
    assertThat(kept.get(0).atMillis()).isZero();
    assertThat(kept.get(kept.size() - 1).atMillis()).isGreaterThan(9_000);
    // Evenly spread: one stride between neighbours.
    long stride = kept.get(1).atMillis() - kept.get(0).atMillis();
    for (int i = 1; i < kept.size(); i++) {
      assertThat(kept.get(i).atMillis() - kept.get(i - 1).atMillis()).isEqualTo(stride);
    }
    assertThat(kept.size()).isGreaterThanOrEqualTo(50);
  }

  @Test
  void downsamplingKeepsTheFirstAndLastSampleAndAtMostTheLimit() {
    List<ProcessSample> all = new ArrayList<>();
    for (int i = 0; i < 5_001; i++) {
      all.add(at(i));
    }
    List<ProcessSample> few = SampleSeries.downsample(all, 2_000);
    assertThat(few).hasSize(2_000);
    assertThat(few.get(0).atMillis()).isZero();
    assertThat(few.get(1_999).atMillis()).isEqualTo(5_000);
    assertThat(SampleSeries.downsample(all.subList(0, 10), 2_000)).hasSize(10);
  }
}
