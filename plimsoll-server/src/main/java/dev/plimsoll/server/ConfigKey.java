package dev.plimsoll.server;

import java.util.List;
import java.util.Locale;

/**
 * One setting of the server: its dotted key (as in the YAML file), the environment variable that
 * overrides it, its default and what values it allows. {@link ServerConfig#keys()} lists them all.
 *
 * @param key dotted path, e.g. {@code store.kind}
 * @param kind how the value is written and checked
 * @param defaultValue the default as written in YAML, or empty when there is none
 * @param min lower bound (numbers, sizes in bytes, durations in milliseconds), if any
 * @param max upper bound, if any
 * @param allowed allowed values of an {@link Kind#ENUM}
 * @param description one line for operators
 */
public record ConfigKey(
    String key,
    Kind kind,
    String defaultValue,
    double min,
    double max,
    List<String> allowed,
    String description) {

  /** How a value is written. */
  public enum Kind {
    /** A whole number. */
    INT,
    /** A decimal number. */
    DOUBLE,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A byte count: {@code 1048576}, {@code 64KiB}, {@code 1MiB}. */
    SIZE,
    /**
     * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 14d} or ISO-8601 {@code PT30S}.
     */
    DURATION,
    /** One of {@link ConfigKey#allowed()}, case-insensitive. */
    ENUM,
    /** Free text. */
    STRING
  }

  public ConfigKey {
    allowed = List.copyOf(allowed);
  }

  /** The environment variable: {@code PLIMSOLL_} and the upper snake case of the key path. */
  public String envName() {
    return envName(key);
  }

  /** {@code engine.maxAttempts} → {@code PLIMSOLL_ENGINE_MAX_ATTEMPTS}. */
  public static String envName(String key) {
    String snake = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_');
    return "PLIMSOLL_" + snake.toUpperCase(Locale.ROOT);
  }
}
