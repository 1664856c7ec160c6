package dev.plimsoll;

import java.time.Duration;
import java.util.Objects;

/**
 * Delay before retry {@code n} (n = 1 after the first failure): {@code initial × 2^(n−1)}, capped
 * at {@code max}, then reduced by a random share of up to {@code jitter} (0 = none, 0.5 = the delay
 * lands uniformly in [50 %, 100 %] of the computed value).
 */
public record BackoffPolicy(Duration initial, Duration max, double jitter) {
  /** 1 s × 2^(n−1), capped at 60 s, with up to 50 % jitter. */
  public static final BackoffPolicy DEFAULT =
      new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.5);

  public BackoffPolicy {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 <= initial <= max, got " + initial + " and " + max);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("backoff jitter must be in [0, 1], got " + jitter);
    }
  }

  /** The delay before retry {@code retry} (1-based) given a uniform random {@code u} in [0, 1). */
  public Duration delay(int retry, double u) {
    long initialMs = initial.toMillis();
    long maxMs = max.toMillis();
    int shift = Math.min(Math.max(retry - 1, 0), 62);
    long raw =
        initialMs == 0
            ? 0
            : (shift >= Long.numberOfLeadingZeros(initialMs) - 1)
                ? maxMs
                : Math.min(maxMs, initialMs << shift);
    long jittered = raw - (long) (raw * jitter * u);
    return Duration.ofMillis(jittered);
  }
}
