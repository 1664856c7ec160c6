package dev.plimsoll.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TrendTest {
  private static final long MINUTE = 60_000;

  @Test
  void aPerfectLineHasItsSlopePerHourAndAnR2OfOne() {
    long[] t = new long[10];
    double[] v = new double[10];
    for (int i = 0; i < 10; i++) {
      t[i] = 1_000_000 + i * MINUTE;
      v[i] = 100 + 2 * i; // +2 per minute
    }
    Trend trend = Trend.fit(t, v, 10);
    assertThat(trend.slopePerHour()).isCloseTo(120, within(1e-9));
    assertThat(trend.r2()).isCloseTo(1, within(1e-12));
    assertThat(trend.risingShare()).isEqualTo(1.0);
    assertThat(trend.samples()).isEqualTo(10);
  }

  @Test
  void unevenlySpacedSamplesAreFittedByTheirTimes() {
    long[] t = {0, MINUTE, 5 * MINUTE, 6 * MINUTE, 30 * MINUTE};
    double[] v = new double[5];
    for (int i = 0; i < 5; i++) {
      v[i] = -3 * t[i] / (double) MINUTE; // -3 per minute
    }
    Trend trend = Trend.fit(t, v, 5);
    assertThat(trend.slopePerHour()).isCloseTo(-180, within(1e-9));
    assertThat(trend.risingShare()).isZero();
  }

  @Test
  void aFlatSeriesHasNoSlopeAndNothingExplainedAndCountsNeitherRiseNorFall() {
    long[] t = {0, 1000, 2000, 3000};
    double[] v = {5, 5, 5, 5};
    Trend trend = Trend.fit(t, v, 4);
    assertThat(trend.slopePerHour()).isZero();
    assertThat(trend.r2()).isZero();
    assertThat(trend.risingShare()).isEqualTo(0.5);
  }

  @Test
  void noiseAroundALevelHasALowR2AndAboutHalfItsChangesRising() {
    Random random = new Random(7);
    int n = 500;
    long[] t = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = i * 1000L;
      v[i] = 1000 + random.nextGaussian() * 50;
    }
    Trend trend = Trend.fit(t, v, n);
    assertThat(trend.r2()).isLessThan(0.05);
    assertThat(trend.risingShare()).isBetween(0.4, 0.6);
  }

  @Test
  void aTrendUnderNoiseKeepsItsSlopeWithAnR2BetweenNoiseAndLine() {
    Random random = new Random(11);
    int n = 200;
    long[] t = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = i * MINUTE;
      v[i] = i + random.nextGaussian() * 30; // +60/h under noise of the run's size
    }
    Trend trend = Trend.fit(t, v, n);
    assertThat(trend.slopePerHour()).isCloseTo(60, within(10.0));
    assertThat(trend.r2()).isBetween(0.2, 0.95);
  }

  @Test
  void onlyTheFirstNSamplesCountAndTooFewGiveNoSlope() {
    long[] t = {0, 1000, 2000, 999_999};
    double[] v = {1, 2, 3, -1e9};
    assertThat(Trend.fit(t, v, 3).slopePerHour()).isCloseTo(3600, within(1e-6));
    assertThat(Trend.fit(t, v, 1).slopePerHour()).isZero();
    assertThat(Trend.fit(t, v, 2).r2()).isZero();
  }
}
