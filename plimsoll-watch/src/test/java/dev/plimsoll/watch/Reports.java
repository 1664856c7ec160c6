package dev.plimsoll.watch;

import java.time.Instant;
import java.util.List;

/** A report built from synthetic samples, for the plot and JSON tests. */
final class Reports {
  private Reports() {}

  static LeakReport of(List<ProcessSample> samples, LeakWatchOptions options) {
    return new LeakReport(
        options,
        4242,
        "java -jar app.jar <&> \"quoted\"",
        Instant.parse("2026-01-01T00:00:00Z"),
        samples.isEmpty() ? 0 : samples.get(samples.size() - 1).atMillis(),
        "duration reached",
        null,
        samples.size(),
        samples,
        LeakAnalysis.of(samples, options),
        List.of(new Spike(3000, 4000, 100 * Series.MB, 180 * Series.MB)),
        1,
        List.of(new ClassGrowth("com.example.LeakyRecord", 10, 5010, 320, 160_320)),
        null);
  }
}
