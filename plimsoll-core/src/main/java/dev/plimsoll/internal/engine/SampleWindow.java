package dev.plimsoll.internal.engine;

import dev.plimsoll.LatencySummary;
import java.util.Arrays;
import java.util.List;

/**
 * The last {@link #SIZE} attempts of one worker: wait time, run time and outcome. Written only by
 * its worker; read by snapshots, which may see a sample torn between two writes (harmless for
 * percentiles). Bounded: a fixed array per worker.
 */
final class SampleWindow {
  static final int SIZE = 1024;

  private final long[] waitMillis = new long[SIZE];
  private final long[] runMillis = new long[SIZE];
  private final boolean[] failed = new boolean[SIZE];
  private volatile long count;

  void record(long wait, long run, boolean failure) {
    int i = (int) (count % SIZE);
    waitMillis[i] = Math.max(0, wait);
    runMillis[i] = Math.max(0, run);
    failed[i] = failure;
    count = count + 1;
  }

  private int held() {
    return (int) Math.min(count, SIZE);
  }

  /** Merges windows into wait and run summaries plus the failure share. */
  static Merged merge(List<SampleWindow> windows) {
    int total = 0;
    for (SampleWindow w : windows) {
      total += w.held();
    }
    long[] waits = new long[total];
    long[] runs = new long[total];
    int failures = 0;
    int k = 0;
    for (SampleWindow w : windows) {
      int n = Math.min(w.held(), total - k);
      System.arraycopy(w.waitMillis, 0, waits, k, n);
      System.arraycopy(w.runMillis, 0, runs, k, n);
      for (int i = 0; i < n; i++) {
        if (w.failed[i]) {
          failures++;
        }
      }
      k += n;
    }
    return new Merged(summarize(waits, k), summarize(runs, k), k, failures);
  }

  static LatencySummary summarize(long[] values, int n) {
    if (n == 0) {
      return LatencySummary.EMPTY;
    }
    long[] v = Arrays.copyOf(values, n);
    Arrays.sort(v);
    long sum = 0;
    for (long x : v) {
      sum += x;
    }
    return new LatencySummary(n, at(v, 0.50), at(v, 0.90), at(v, 0.99), v[n - 1], (double) sum / n);
  }

  private static double at(long[] sorted, double q) {
    int idx = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  record Merged(LatencySummary waitTime, LatencySummary runTime, int samples, int failures) {
    double failureRate() {
      return samples == 0 ? 0 : (double) failures / samples;
    }
  }
}
