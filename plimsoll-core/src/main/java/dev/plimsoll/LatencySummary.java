package dev.plimsoll;

/**
 * Percentiles over a bounded window of recent samples (the last samples of each worker).
 *
 * @param samples how many samples the window holds
 * @param p50Millis median
 * @param p90Millis 90th percentile
 * @param p99Millis 99th percentile
 * @param maxMillis largest sample
 * @param meanMillis mean
 */
public record LatencySummary(
    int samples,
    double p50Millis,
    double p90Millis,
    double p99Millis,
    double maxMillis,
    double meanMillis) {
  public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0);
}
