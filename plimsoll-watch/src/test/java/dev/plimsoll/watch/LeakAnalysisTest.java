package dev.plimsoll.watch;

import static dev.plimsoll.watch.Series.MB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeakAnalysisTest {
  private static final LeakWatchOptions DEFAULTS = LeakWatchOptions.builder().pid(1).build();

  @Test
  void steadyMemoryGrowthIsALeakOfResidentMemoryWithItsRateInMegabytesPerHour() {
    // 100 MB growing 1 MB every 3 s = 1200 MB/h, over 60 s.
    LeakAnalysis a = LeakAnalysis.of(Series.rss(61, i -> 100 * MB + i * MB / 3), DEFAULTS);
    assertThat(a.verdict()).isEqualTo(Verdict.LEAK);
    assertThat(a.leaking()).containsExactly(Measure.RESIDENT_MEMORY);
    ResourceFinding f = a.findings().get(0);
    assertThat(f.trend().slopePerHour() / MB).isCloseTo(1200, within(0.5));
    assertThat(f.trend().r2()).isGreaterThan(0.99);
    assertThat(f.growth() / MB).isCloseTo(20, within(0.01));
    assertThat(f.peak() / MB).isCloseTo(120, within(0.01));
    assertThat(f.evidence()).startsWith("resident memory grew +1200.0 MB/h (R² 1.00");
    assertThat(a.reasons()).singleElement().asString().startsWith("LEAK: resident memory grew");
  }

  @Test
  void boundedNoiseAroundALevelIsStable() {
    LeakAnalysis a = LeakAnalysis.of(Series.rss(120, Series.noise(100 * MB, 30 * MB, 1)), DEFAULTS);
    assertThat(a.verdict()).isEqualTo(Verdict.STABLE);
    assertThat(a.leaking()).isEmpty();
    assertThat(a.reasons()).isEmpty();
  }

  @Test
  void growthTooSmallForTheBaselineIsStableEvenWhenPerfectlyLinear() {
    // +5 % of a 1 GB baseline over the run: consistent but not material (< 10 %).
    LeakAnalysis a = LeakAnalysis.of(Series.rss(61, i -> 1024 * MB + i * 50 * MB / 60), DEFAULTS);
    assertThat(a.verdict()).isEqualTo(Verdict.STABLE);
  }

  @Test
  void growthBelowTheMinimumRatePerHourIsStable() {
    // +20 % of a 1 MB process over an hour is 0.2 MB/h: under 5 MB/h.
    List<ProcessSample> s = new ArrayList<>();
    for (int i = 0; i <= 60; i++) {
      s.add(new ProcessSample(i * 60_000L, MB + i * MB / 300, 1, 1, 0));
    }
    assertThat(LeakAnalysis.of(s, DEFAULTS).verdict()).isEqualTo(Verdict.STABLE);
  }

  @Test
  void materialGrowthUnderHeavyNoiseIsInconclusive() {
    var noise = Series.noise(0, 12 * MB, 3);
    LeakAnalysis a =
        LeakAnalysis.of(
            Series.rss(60, i -> 100 * MB + i * MB / 2 + noise.applyAsLong(i)), DEFAULTS);
    ResourceFinding f = a.findings().get(0);
    assertThat(f.trend().r2()).isBetween(0.3, 0.8);
    assertThat(a.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(f.evidence()).contains("growth is material but noisy");
  }

  @Test
  void tooFewSamplesAreInconclusiveSayingHowManyAreNeeded() {
    LeakAnalysis a = LeakAnalysis.of(Series.rss(5, i -> 100 * MB), DEFAULTS);
    assertThat(a.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(a.reasons().get(0))
        .isEqualTo(
            "only 5 samples after the warm-up; at least 10 (--min-samples) are needed for a verdict");
  }

  @Test
  void aThreadLeakIsNamedWhenItAddsAtLeastTheMinimumCount() {
    LeakAnalysis leak = LeakAnalysis.of(Series.threads(30, i -> 20 + i / 2), DEFAULTS);
    assertThat(leak.leaking()).containsExactly(Measure.THREADS);
    assertThat(leak.findings().get(1).trend().slopePerHour()).isCloseTo(1800, within(10.0));
    assertThat(leak.findings().get(1).evidence()).startsWith("threads grew +1");
    // +3 threads on 20 is +15 % and perfectly linear, but under --min-count-growth 5.
    LeakAnalysis few = LeakAnalysis.of(Series.threads(31, i -> 20 + i / 10), DEFAULTS);
    assertThat(few.verdict()).isEqualTo(Verdict.STABLE);
  }

  @Test
  void theWarmupIsLeftOutOfTheTrend() {
    // Memory climbs for 10 s while the process starts, then stays flat.
    List<ProcessSample> s = Series.rss(60, i -> i < 10 ? (10 + 9L * i) * MB : 100 * MB);
    assertThat(LeakAnalysis.of(s, DEFAULTS).verdict()).isNotEqualTo(Verdict.STABLE);
    LeakWatchOptions warm =
        LeakWatchOptions.builder().pid(1).warmup(Duration.ofSeconds(10)).build();
    LeakAnalysis a = LeakAnalysis.of(s, warm);
    assertThat(a.verdict()).isEqualTo(Verdict.STABLE);
    assertThat(a.findings().get(0).peak()).isEqualTo(100.0 * MB);
    assertThat(a.findings().get(0).trend().samples()).isEqualTo(50);
  }

  @Test
  void aResourceThePlatformDoesNotReportIsLeftOut() {
    List<ProcessSample> s = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      s.add(new ProcessSample(i * 1000L, 100 * MB, 20, -1, 0));
    }
    LeakAnalysis a = LeakAnalysis.of(s, DEFAULTS);
    assertThat(a.findings())
        .extracting(ResourceFinding::measure)
        .containsExactly(Measure.RESIDENT_MEMORY, Measure.THREADS, Measure.CHILD_PROCESSES);
    assertThat(a.verdict()).isEqualTo(Verdict.STABLE);
  }

  @Test
  void theThresholdsAreOptions() {
    List<ProcessSample> s = Series.rss(61, i -> 1024 * MB + i * 50 * MB / 60);
    LeakWatchOptions strict = LeakWatchOptions.builder().pid(1).minGrowthPercent(2).build();
    assertThat(LeakAnalysis.of(s, strict).verdict()).isEqualTo(Verdict.LEAK);
    LeakWatchOptions lax =
        LeakWatchOptions.builder().pid(1).minGrowthPercent(2).minGrowthMbPerHour(10_000).build();
    assertThat(LeakAnalysis.of(s, lax).verdict()).isEqualTo(Verdict.STABLE);
  }

  @Test
  void exitCodesAreZeroForStableOneForLeakAndTwoForInconclusive() {
    assertThat(Verdict.STABLE.exitCode()).isZero();
    assertThat(Verdict.LEAK.exitCode()).isEqualTo(1);
    assertThat(Verdict.INCONCLUSIVE.exitCode()).isEqualTo(2);
  }
}
