package dev.plimsoll.process;

import java.time.Duration;
import java.util.Objects;

/** Argument checks whose messages name the setting and its limit. */
final class Checks {
  /** 256 MiB: the largest in-memory buffer any setting may ask for. */
  static final int MAX_BUFFER = 256 * 1024 * 1024;

  private Checks() {}

  static int range(String setting, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          setting + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  static long range(String setting, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          setting + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  static Duration positive(String setting, Duration value) {
    Objects.requireNonNull(value, setting);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive, was " + value);
    }
    return value;
  }

  static Duration notNegative(String setting, Duration value) {
    Objects.requireNonNull(value, setting);
    if (value.isNegative()) {
      throw new IllegalArgumentException(setting + " must not be negative, was " + value);
    }
    return value;
  }
}
