package dev.plimsoll.watch;

import dev.plimsoll.watch.internal.ReportJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of a leak watch: what was watched, the samples (at most {@link #MAX_REPORTED_SAMPLES},
 * evenly thinned), the verdict per resource with its evidence, spikes, the class-histogram diff of
 * a JVM target, the overall verdict and the exit code.
 *
 * @param options the options of the watch
 * @param pid the watched process
 * @param target its command line as the OS reports it
 * @param startedAt when the watch started
 * @param watchedMillis how long it watched
 * @param endReason why it ended ("duration reached", "the target exited ...", "interrupted")
 * @param targetExitCode exit code of a started command that exited on its own, else null
 * @param samplesTaken samples taken (more than {@code samples} when thinned)
 * @param samples the series, at most {@link #MAX_REPORTED_SAMPLES}
 * @param analysis verdict per resource and overall, with reasons
 * @param spikes resident-memory spikes (at most 100 listed)
 * @param spikeCount all spikes seen
 * @param classGrowth the top classes grown between the start and end histograms (JVM targets with
 *     {@code --jvm-histogram}); empty otherwise
 * @param histogramError why no histogram diff could be made, or null
 */
public record LeakReport(
    LeakWatchOptions options,
    long pid,
    String target,
    Instant startedAt,
    long watchedMillis,
    String endReason,
    Integer targetExitCode,
    long samplesTaken,
    List<ProcessSample> samples,
    LeakAnalysis analysis,
    List<Spike> spikes,
    long spikeCount,
    List<ClassGrowth> classGrowth,
    String histogramError) {

  /** The JSON report and the plot hold at most this many samples. */
  public static final int MAX_REPORTED_SAMPLES = 2_000;

  public LeakReport {
    samples = List.copyOf(samples);
    spikes = List.copyOf(spikes);
    classGrowth = List.copyOf(classGrowth);
  }

  public Verdict verdict() {
    return analysis.verdict();
  }

  /** 0 stable, 1 leak, 2 inconclusive. */
  public int exitCode() {
    return analysis.verdict().exitCode();
  }

  /** The resources with a LEAK verdict. */
  public List<Measure> leaking() {
    return analysis.leaking();
  }

  /** The finding for {@code measure}, or null when it was not reported by the platform. */
  public ResourceFinding finding(Measure measure) {
    return analysis.findings().stream()
        .filter(f -> f.measure() == measure)
        .findFirst()
        .orElse(null);
  }

  /** The verdict and its evidence, one line each, as the CLI prints them at the end. */
  public List<String> summary() {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "leakwatch: %s (exit %d) for pid %d after %.1f s, %d samples; %s",
            verdict(), exitCode(), pid, watchedMillis / 1000.0, samplesTaken, endReason));
    analysis.reasons().forEach(r -> lines.add("  " + r));
    for (ResourceFinding f : analysis.findings()) {
      if (f.verdict() == Verdict.STABLE) {
        lines.add("  STABLE: " + f.evidence());
      }
    }
    if (spikeCount > 0) {
      Spike top =
          spikes.stream().max(java.util.Comparator.comparingLong(Spike::riseBytes)).orElseThrow();
      lines.add(
          String.format(
              "  %d resident-memory spike(s); largest +%s (+%.0f%%) at %.1f s",
              spikeCount,
              Measure.RESIDENT_MEMORY.format(top.riseBytes()),
              top.risePercent(),
              top.startMillis() / 1000.0));
    }
    for (ClassGrowth c : classGrowth) {
      lines.add(
          String.format(
              "  class %s grew %+d instances, %+d bytes",
              c.className(), c.instancesGrown(), c.bytesGrown()));
    }
    if (histogramError != null) {
      lines.add("  class histogram: " + histogramError);
    }
    return lines;
  }

  /** Writes the report as JSON (see docs/watch.md for the fields). */
  public void writeJson(Path file) throws IOException {
    ReportJson.write(this, file);
  }
}
