package dev.plimsoll.watch;

/**
 * A least-squares line through a series of samples: its slope per hour, how well the line explains
 * the samples (R²) and the share of changes that were rises.
 *
 * @param samples how many samples the fit used
 * @param slopePerHour growth in the series' unit per hour (bytes/h for memory, count/h otherwise)
 * @param r2 coefficient of determination in [0, 1]; 0 when the series is flat or has under 3
 *     samples (a flat series is explained by no trend at all)
 * @param risingShare rises / (rises + falls) between consecutive samples, in [0, 1]; 0.5 when the
 *     series never changes (unchanged steps count for neither)
 */
public record Trend(int samples, double slopePerHour, double r2, double risingShare) {
  private static final double MILLIS_PER_HOUR = 3_600_000.0;

  /** No samples yet. */
  public static final Trend NONE = new Trend(0, 0, 0, 0.5);

  /**
   * Fits {@code values[i]} against {@code millis[i]} for {@code i < n} (times need not be evenly
   * spaced, but must not all be equal for a slope).
   */
  public static Trend fit(long[] millis, double[] values, int n) {
    if (n < 2) {
      return new Trend(n, 0, 0, 0.5);
    }
    // Shift times to the first sample and work in hours: keeps the sums well conditioned.
    long t0 = millis[0];
    double meanX = 0;
    double meanY = 0;
    for (int i = 0; i < n; i++) {
      meanX += (millis[i] - t0) / MILLIS_PER_HOUR;
      meanY += values[i];
    }
    meanX /= n;
    meanY /= n;
    double sxx = 0;
    double sxy = 0;
    double syy = 0;
    int rises = 0;
    int falls = 0;
    for (int i = 0; i < n; i++) {
      double dx = (millis[i] - t0) / MILLIS_PER_HOUR - meanX;
      double dy = values[i] - meanY;
      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
      if (i > 0) {
        if (values[i] > values[i - 1]) {
          rises++;
        } else if (values[i] < values[i - 1]) {
          falls++;
        }
      }
    }
    double rising = rises + falls == 0 ? 0.5 : (double) rises / (rises + falls);
    if (sxx == 0) {
      return new Trend(n, 0, 0, rising);
    }
    double slope = sxy / sxx;
    double r2 = (syy == 0 || n < 3) ? 0 : Math.min(1.0, (sxy * sxy) / (sxx * syy));
    return new Trend(n, slope, r2, rising);
  }
}
