package dev.plimsoll;

import java.time.Duration;

/**
 * Per-type circuit breaker. It opens when at least {@code minCalls} of the last {@code window}
 * attempts were recorded and {@code failureRate} or more of them failed; while open the type's jobs
 * wait (no attempts are burned). After {@code openFor} it lets {@code probes} attempts through
 * (half-open): a success closes it, a failure opens it again.
 */
public record BreakerConfig(
    boolean enabled, double failureRate, int window, int minCalls, Duration openFor, int probes) {
  public static final BreakerConfig DEFAULT =
      new BreakerConfig(true, 0.5, 20, 10, Duration.ofSeconds(30), 1);

  public static final BreakerConfig DISABLED =
      new BreakerConfig(false, 0.5, 20, 10, Duration.ofSeconds(30), 1);

  public BreakerConfig {
    if (!(failureRate > 0 && failureRate <= 1)) {
      throw new IllegalArgumentException(
          "breaker failureRate must be in (0, 1], got " + failureRate);
    }
    if (window < 1 || window > 10_000) {
      throw new IllegalArgumentException("breaker window must be in [1, 10000], got " + window);
    }
    if (minCalls < 1 || minCalls > window) {
      throw new IllegalArgumentException(
          "breaker minCalls must be in [1, window=" + window + "], got " + minCalls);
    }
    if (openFor == null || openFor.isNegative() || openFor.isZero()) {
      throw new IllegalArgumentException("breaker openFor must be > 0, got " + openFor);
    }
    if (probes < 1) {
      throw new IllegalArgumentException("breaker probes must be >= 1, got " + probes);
    }
  }
}
