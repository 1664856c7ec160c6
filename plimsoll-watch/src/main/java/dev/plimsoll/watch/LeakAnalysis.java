package dev.plimsoll.watch;

import java.util.ArrayList;
import java.util.List;

/**
 * The leak verdict on a series of process samples: a pure function of the samples and the
 * thresholds of {@link LeakWatchOptions}, so it is tested on synthetic series and re-run on any
 * prefix (the sensitivity harness does).
 *
 * <p>Per resource (resident memory, threads, open files, children), over the samples after the
 * warm-up: a least-squares line gives the slope and R², and the share of changes that were rises.
 * Growth is <em>material</em> when the fitted growth over the run is at least {@code
 * minGrowthPercent} of the baseline and, for memory, the slope is at least {@code
 * minGrowthMbPerHour} (for counts, the growth at least {@code minCountGrowth}). It is
 * <em>consistent</em> when R² ≥ {@code minR2} and the rising share ≥ {@code minRisingShare}.
 * Material and consistent: LEAK. Material with R² between {@code noiseR2} and {@code minR2} (or too
 * few rises): INCONCLUSIVE, a noisy trend. Otherwise STABLE: no material growth, or a line that
 * explains less than {@code noiseR2} of the variance (bounded noise around a level). Overall: LEAK
 * if any resource leaks; INCONCLUSIVE if any is inconclusive or there are fewer than {@code
 * minSamples} trend samples; else STABLE. A resource the platform does not report (-1) is left out.
 *
 * @param findings one per reported resource, in {@link Measure} order
 * @param verdict the overall verdict
 * @param reasons why, one sentence each (the leaking or inconclusive resources' evidence, or why
 *     there is too little data)
 */
public record LeakAnalysis(List<ResourceFinding> findings, Verdict verdict, List<String> reasons) {
  private static final double MB = 1024.0 * 1024.0;
  private static final double HOUR_MS = 3_600_000.0;

  /** The process measures leakwatch judges. */
  public static final List<Measure> RESOURCES =
      List.of(
          Measure.RESIDENT_MEMORY, Measure.THREADS, Measure.OPEN_FILES, Measure.CHILD_PROCESSES);

  /** The resources with a LEAK verdict. */
  public List<Measure> leaking() {
    return findings.stream()
        .filter(f -> f.verdict() == Verdict.LEAK)
        .map(ResourceFinding::measure)
        .toList();
  }

  /** Judges {@code samples} (in time order) with the thresholds of {@code options}. */
  public static LeakAnalysis of(List<ProcessSample> samples, LeakWatchOptions options) {
    long warmupMs = options.warmup().toMillis();
    long startMs = samples.isEmpty() ? 0 : samples.get(0).atMillis();
    List<ProcessSample> trend = new ArrayList<>(samples.size());
    for (ProcessSample s : samples) {
      if (s.atMillis() - startMs >= warmupMs) {
        trend.add(s);
      }
    }
    List<ResourceFinding> findings = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (Measure m : RESOURCES) {
      ResourceFinding f = judge(m, samples, trend, options);
      if (f != null) {
        findings.add(f);
        if (f.verdict() != Verdict.STABLE) {
          reasons.add(f.verdict() + ": " + f.evidence());
        }
      }
    }
    Verdict verdict;
    if (findings.stream().anyMatch(f -> f.verdict() == Verdict.LEAK)) {
      verdict = Verdict.LEAK;
    } else if (trend.size() < options.minSamples()) {
      verdict = Verdict.INCONCLUSIVE;
      reasons.add(
          0,
          "only "
              + trend.size()
              + " samples after the warm-up; at least "
              + options.minSamples()
              + " (--min-samples) are needed for a verdict");
    } else if (findings.stream().anyMatch(f -> f.verdict() == Verdict.INCONCLUSIVE)) {
      verdict = Verdict.INCONCLUSIVE;
    } else {
      verdict = Verdict.STABLE;
    }
    return new LeakAnalysis(List.copyOf(findings), verdict, List.copyOf(reasons));
  }

  private static ResourceFinding judge(
      Measure m, List<ProcessSample> all, List<ProcessSample> trend, LeakWatchOptions o) {
    if (all.isEmpty() || all.stream().anyMatch(s -> s.value(m) < 0)) {
      return null;
    }
    double peak = all.stream().mapToDouble(s -> s.value(m)).max().orElse(0);
    int n = trend.size();
    if (n == 0) {
      double last = all.get(all.size() - 1).value(m);
      return new ResourceFinding(
          m, Verdict.INCONCLUSIVE, Trend.NONE, last, last, peak, 0, 0, m.label() + ": no samples");
    }
    long[] t = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = trend.get(i).atMillis();
      v[i] = trend.get(i).value(m);
    }
    Trend fit = Trend.fit(t, v, n);
    int head = Math.max(1, n / 10);
    double baseline = 0;
    for (int i = 0; i < head; i++) {
      baseline += v[i];
    }
    baseline /= head;
    double spanMs = t[n - 1] - t[0];
    double growth = fit.slopePerHour() * spanMs / HOUR_MS;
    double growthPercent = baseline > 0 ? 100 * growth / baseline : (growth > 0 ? 100 : 0);
    boolean material =
        growth > 0
            && growthPercent >= o.minGrowthPercent()
            && (m.isBytes()
                ? fit.slopePerHour() / MB >= o.minGrowthMbPerHour()
                : growth >= o.minCountGrowth());
    boolean consistent = fit.r2() >= o.minR2() && fit.risingShare() >= o.minRisingShare();
    Verdict verdict;
    if (n < o.minSamples()) {
      verdict = Verdict.INCONCLUSIVE;
    } else if (material && consistent) {
      verdict = Verdict.LEAK;
    } else if (material && fit.r2() >= o.noiseR2()) {
      verdict = Verdict.INCONCLUSIVE;
    } else {
      verdict = Verdict.STABLE;
    }
    String evidence =
        String.format(
            "%s %s %s (R² %.2f, %.0f%% of changes rising), %s%s (%+.0f%%) over %.0f s; peak %s",
            m.label(),
            verdict == Verdict.LEAK ? "grew" : growth > 0 ? "trended" : "changed",
            m.formatRate(fit.slopePerHour()),
            fit.r2(),
            100 * fit.risingShare(),
            growth >= 0 ? "+" : "-",
            m.format(Math.abs(growth)),
            growthPercent,
            spanMs / 1000,
            m.format(peak));
    if (material && verdict == Verdict.STABLE) {
      evidence += String.format("; R² below %.2f: bounded noise, no trend", o.noiseR2());
    }
    if (verdict == Verdict.INCONCLUSIVE && n >= o.minSamples()) {
      evidence +=
          String.format(
              "; growth is material but noisy (needs R² >= %.2f and >= %.0f%% rising)",
              o.minR2(), 100 * o.minRisingShare());
    }
    return new ResourceFinding(
        m, verdict, fit, baseline, v[n - 1], peak, growth, growthPercent, evidence);
  }
}
