package dev.plimsoll.watch;

/**
 * A sudden rise of resident memory: more than the spike threshold above the lowest value of the
 * preceding spike window. Consecutive samples over the threshold make one spike.
 *
 * @param startMillis first sample over the threshold (ms since the watch started)
 * @param peakMillis the highest sample of the spike
 * @param baseBytes the lowest resident memory in the window before the spike
 * @param peakBytes the highest resident memory during the spike
 */
public record Spike(long startMillis, long peakMillis, long baseBytes, long peakBytes) {
  public long riseBytes() {
    return peakBytes - baseBytes;
  }

  /** Rise as a percentage of the base (0 when the base is 0). */
  public double risePercent() {
    return baseBytes == 0 ? 0 : 100.0 * riseBytes() / baseBytes;
  }
}
