package dev.plimsoll.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The sensitivity of leakwatch with its default thresholds, measured by hand (not a test): children
 * leaking at decreasing rates (how slow a leak is still found, and after how long), and N stable
 * children (how many false positives). Prints a Markdown table for docs/watch.md.
 *
 * <pre>
 * ./mvnw -q -o -pl plimsoll-core,plimsoll-watch -am test-compile
 * java -cp TEST_CLASSPATH dev.plimsoll.watch.LeakWatchSensitivity [leakSeconds=300] [stableRuns=20] [stableSeconds=30]
 * </pre>
 *
 * The time to detect is the shortest prefix of the run after which the analysis would have said
 * LEAK, had the watch ended there (the analysis is a pure function of the samples).
 */
public final class LeakWatchSensitivity {
  private static final List<String> FLAT_JVM =
      List.of("-Xms48m", "-Xmx48m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC");

  private LeakWatchSensitivity() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int stableRuns = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int stableSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    double[] mbPerMinute = {64, 16, 4, 1, 0.25};
    // The leaking children run side by side (they mostly sleep); the stable ones three at a time.
    ExecutorService leakPool = Executors.newFixedThreadPool(mbPerMinute.length);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<LeakReport>> leaks = new ArrayList<>();
    for (double rate : mbPerMinute) {
      leaks.add(
          leakPool.submit(
              () ->
                  LeakWatch.run(
                      options(seconds, 1).command(Children.python("alloc", rate / 60)).build(),
                      null)));
    }
    System.out.printf(
        Locale.ROOT,
        "%n%d s watch, 1 s interval, 1 s warm-up, default thresholds (python3 child retaining 16 KB"
            + " strings)%n%n",
        seconds);
    System.out.println(
        "| leak rate | verdict | found after | found after with --min-growth-percent 5 | slope measured"
            + " | R² | growth over the run |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int i = 0; i < mbPerMinute.length; i++) {
      LeakReport r = leaks.get(i).get();
      ResourceFinding f = r.finding(Measure.RESIDENT_MEMORY);
      System.out.printf(
          Locale.ROOT,
          "| %s MB/min (%s MB/h) | %s | %s | %s | %s | %.2f | %+.1f%% |%n",
          fmt(mbPerMinute[i]),
          fmt(mbPerMinute[i] * 60),
          r.verdict(),
          detectedAfter(r, r.options()),
          detectedAfter(r, options(seconds, 1).pid(r.pid()).minGrowthPercent(5).build()),
          Measure.RESIDENT_MEMORY.formatRate(f.trend().slopePerHour()),
          f.trend().r2(),
          f.growthPercent());
    }
    List<Future<LeakReport>> stable = new ArrayList<>();
    for (int i = 0; i < stableRuns; i++) {
      boolean java = i % 2 == 1;
      stable.add(
          pool.submit(
              () -> {
                Process child =
                    Children.startWarm(
                        java ? Children.java(FLAT_JVM, "flat", 16) : Children.python("flat", 8));
                try {
                  return LeakWatch.run(options(stableSeconds, 0).pid(child.pid()).build(), null);
                } finally {
                  child.destroyForcibly().waitFor();
                }
              }));
    }
    int[] byVerdict = new int[Verdict.values().length];
    List<String> notStable = new ArrayList<>();
    for (Future<LeakReport> f : stable) {
      LeakReport r = f.get();
      byVerdict[r.verdict().ordinal()]++;
      if (r.verdict() != Verdict.STABLE) {
        notStable.add(
            r.target().substring(Math.max(0, r.target().length() - 30))
                + ": "
                + r.analysis().reasons());
      }
    }
    pool.shutdown();
    leakPool.shutdown();
    System.out.printf(
        Locale.ROOT,
        "%n%d stable runs of %d s (half python3, half a JVM; bounded bursts of up to 8/16 MB;"
            + " watched by pid once warm):"
            + " %d STABLE, %d LEAK (false positives), %d INCONCLUSIVE%n",
        stableRuns,
        stableSeconds,
        byVerdict[Verdict.STABLE.ordinal()],
        byVerdict[Verdict.LEAK.ordinal()],
        byVerdict[Verdict.INCONCLUSIVE.ordinal()]);
    notStable.forEach(s -> System.out.println("  " + s));
  }

  private static LeakWatchOptions.Builder options(int seconds, int warmupSeconds) {
    return LeakWatchOptions.builder()
        .interval(Duration.ofSeconds(1))
        .duration(Duration.ofSeconds(seconds))
        .warmup(Duration.ofSeconds(warmupSeconds))
        .progress(ProgressMode.NONE);
  }

  private static String detectedAfter(LeakReport r, LeakWatchOptions o) {
    List<ProcessSample> s = r.samples();
    for (int k = o.minSamples(); k <= s.size(); k++) {
      if (LeakAnalysis.of(s.subList(0, k), o).verdict() == Verdict.LEAK) {
        return String.format(Locale.ROOT, "%.0f s", s.get(k - 1).atMillis() / 1000.0);
      }
    }
    return "not found";
  }

  private static String fmt(double v) {
    return v == Math.rint(v)
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%s", v);
  }
}
