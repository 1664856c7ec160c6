package dev.plimsoll;

import java.time.Duration;
import java.util.Objects;

/**
 * How long finished jobs are kept: until older than {@code maxAge} or beyond the newest {@code
 * maxCount}, whichever comes first. Evictions are counted as purged.
 */
public record RetentionPolicy(Duration maxAge, long maxCount) {
  /** Succeeded and cancelled jobs: 1 hour, at most 10,000. */
  public static final RetentionPolicy FINISHED_DEFAULT =
      new RetentionPolicy(Duration.ofHours(1), 10_000);

  /** Dead jobs: 14 days, at most 10,000. */
  public static final RetentionPolicy DEAD_DEFAULT =
      new RetentionPolicy(Duration.ofDays(14), 10_000);

  public RetentionPolicy {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("retention maxAge must be >= 0, got " + maxAge);
    }
    if (maxCount < 0) {
      throw new IllegalArgumentException("retention maxCount must be >= 0, got " + maxCount);
    }
  }
}
