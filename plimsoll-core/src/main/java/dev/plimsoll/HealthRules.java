package dev.plimsoll;

import java.time.Duration;

/**
 * Thresholds that turn health DEGRADED (defaults from incident 000's alerting rules). The failure
 * rate and average run time are computed over the bounded window of recent attempts, and only once
 * it holds at least {@code minSamples} attempts.
 *
 * @param maxQueueDepth pending jobs across queues above which health degrades (5,000)
 * @param maxFailureRate share of failed recent attempts (0.05)
 * @param maxAverageRunTime mean run time of recent attempts (1 s)
 * @param maxHeapUsedFraction heap in use over max heap (0.8)
 * @param minSamples attempts needed before rate and run-time rules apply (20)
 */
public record HealthRules(
    long maxQueueDepth,
    double maxFailureRate,
    Duration maxAverageRunTime,
    double maxHeapUsedFraction,
    int minSamples) {
  public static final HealthRules DEFAULT =
      new HealthRules(5_000, 0.05, Duration.ofSeconds(1), 0.8, 20);

  public HealthRules {
    if (maxQueueDepth < 0) {
      throw new IllegalArgumentException("health maxQueueDepth must be >= 0, got " + maxQueueDepth);
    }
    if (!(maxFailureRate >= 0 && maxFailureRate <= 1)) {
      throw new IllegalArgumentException(
          "health maxFailureRate must be in [0, 1], got " + maxFailureRate);
    }
    if (maxAverageRunTime == null || maxAverageRunTime.isNegative()) {
      throw new IllegalArgumentException(
          "health maxAverageRunTime must be >= 0, got " + maxAverageRunTime);
    }
    if (!(maxHeapUsedFraction > 0 && maxHeapUsedFraction <= 1)) {
      throw new IllegalArgumentException(
          "health maxHeapUsedFraction must be in (0, 1], got " + maxHeapUsedFraction);
    }
    if (minSamples < 1) {
      throw new IllegalArgumentException("health minSamples must be >= 1, got " + minSamples);
    }
  }
}
