package dev.plimsoll.process;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Argument checks whose messages name the setting and its limit, and a shared wait. */
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

  static String poolName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.length() > 64) {
      throw new IllegalArgumentException(
          "name must be 1 to 64 characters and not blank, was '" + name + "'");
    }
    return name;
  }

  static void envVar(String name, String value) {
    Objects.requireNonNull(name, "env name");
    Objects.requireNonNull(value, "env value of " + name);
    if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "env name must be non-empty without '=' or NUL, was '" + name + "'");
    }
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("env." + name + " must not contain a NUL character");
    }
  }

  /**
   * Waits for a pool's future: an interrupted caller cancels it (which stops its process), and a
   * failure is rethrown as the pool's own runtime exception.
   */
  static <T> T await(CompletableFuture<T> future) throws InterruptedException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
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
