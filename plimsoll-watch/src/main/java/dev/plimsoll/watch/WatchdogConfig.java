package dev.plimsoll.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link MemoryWatchdog}. Build with {@link #builder()}; every setting is validated
 * and a bad one is refused with an {@link IllegalArgumentException} naming it and its limit.
 *
 * @param interval how often the sampler reads resident memory, threads, files, children and the
 *     engine's counts (heap after GC is recorded at every GC); 10 ms to 1 h, default 5 s
 * @param trendWindow how far back slopes and R² look; at least 2 intervals, default 15 min
 * @param capacity samples kept per measure (a ring: the oldest is overwritten); 16 to 100,000,
 *     default 1,024 (85 min at 5 s)
 * @param warnFraction heap after GC / max at or above which health turns DEGRADED; default 0.70
 * @param shedFraction heap after GC / max at or above which new submissions are refused; default
 *     0.85
 * @param resumeFraction shedding stops only once heap after GC falls below this; at most {@code
 *     shedFraction}, default 0.70 (hysteresis)
 * @param maxHeapBytes the max heap to measure against; 0 (default) reads it from the JVM
 * @param logInterval at most one log line per kind of crossing per this interval; default 10 s
 */
public record WatchdogConfig(
    Duration interval,
    Duration trendWindow,
    int capacity,
    double warnFraction,
    double shedFraction,
    double resumeFraction,
    long maxHeapBytes,
    Duration logInterval) {

  public WatchdogConfig {
    Objects.requireNonNull(interval, "watchdog.interval");
    Objects.requireNonNull(trendWindow, "watchdog.trendWindow");
    Objects.requireNonNull(logInterval, "watchdog.logInterval");
    if (interval.compareTo(Duration.ofMillis(10)) < 0
        || interval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "watchdog.interval must be between 10ms and 1h, was " + interval);
    }
    if (trendWindow.compareTo(interval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "watchdog.trendWindow must be at least 2 intervals ("
              + interval.multipliedBy(2)
              + "), was "
              + trendWindow);
    }
    if (capacity < 16 || capacity > 100_000) {
      throw new IllegalArgumentException(
          "watchdog.capacity must be between 16 and 100000 samples, was " + capacity);
    }
    fraction("watchdog.warnFraction", warnFraction);
    fraction("watchdog.shedFraction", shedFraction);
    fraction("watchdog.resumeFraction", resumeFraction);
    if (warnFraction > shedFraction) {
      throw new IllegalArgumentException(
          "watchdog.warnFraction must be <= watchdog.shedFraction ("
              + shedFraction
              + "), was "
              + warnFraction);
    }
    if (resumeFraction > shedFraction) {
      throw new IllegalArgumentException(
          "watchdog.resumeFraction must be <= watchdog.shedFraction ("
              + shedFraction
              + "), was "
              + resumeFraction);
    }
    if (maxHeapBytes < 0) {
      throw new IllegalArgumentException(
          "watchdog.maxHeapBytes must be >= 0 (0 = the JVM's max heap), was " + maxHeapBytes);
    }
    if (logInterval.isNegative()) {
      throw new IllegalArgumentException("watchdog.logInterval must be >= 0, was " + logInterval);
    }
  }

  private static void fraction(String name, double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1], was " + value);
    }
  }

  /** The defaults: 5 s, 15 min window, 1,024 samples, 70 % / 85 % / resume below 70 %. */
  public static WatchdogConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link WatchdogConfig}; {@link #build()} validates. */
  public static final class Builder {
    private Duration interval = Duration.ofSeconds(5);
    private Duration trendWindow = Duration.ofMinutes(15);
    private int capacity = 1_024;
    private double warnFraction = 0.70;
    private double shedFraction = 0.85;
    private double resumeFraction = 0.70;
    private long maxHeapBytes;
    private Duration logInterval = Duration.ofSeconds(10);

    private Builder() {}

    public Builder interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    public Builder trendWindow(Duration trendWindow) {
      this.trendWindow = trendWindow;
      return this;
    }

    public Builder capacity(int capacity) {
      this.capacity = capacity;
      return this;
    }

    public Builder warnFraction(double warnFraction) {
      this.warnFraction = warnFraction;
      return this;
    }

    public Builder shedFraction(double shedFraction) {
      this.shedFraction = shedFraction;
      return this;
    }

    public Builder resumeFraction(double resumeFraction) {
      this.resumeFraction = resumeFraction;
      return this;
    }

    public Builder maxHeapBytes(long maxHeapBytes) {
      this.maxHeapBytes = maxHeapBytes;
      return this;
    }

    public Builder logInterval(Duration logInterval) {
      this.logInterval = logInterval;
      return this;
    }

    public WatchdogConfig build() {
      return new WatchdogConfig(
          interval,
          trendWindow,
          capacity,
          warnFraction,
          shedFraction,
          resumeFraction,
          maxHeapBytes,
          logInterval);
    }
  }
}
