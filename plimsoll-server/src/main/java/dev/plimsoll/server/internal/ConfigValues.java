package dev.plimsoll.server.internal;

import dev.plimsoll.server.ConfigException;
import dev.plimsoll.server.ConfigKey;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and checks one setting's text against its {@link ConfigKey}. */
public final class ConfigValues {
  private ConfigValues() {}

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB)?");

  /** The typed value of {@code text} for {@code key}; {@code source} names where it came from. */
  public static Object parse(ConfigKey key, String text, String source) {
    String t = text.trim();
    switch (key.kind()) {
      case STRING:
        return t;
      case BOOLEAN:
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
          return Boolean.parseBoolean(t);
        }
        throw bad(key, source, "must be true or false, got '" + t + "'");
      case ENUM:
        for (String a : key.allowed()) {
          if (a.equalsIgnoreCase(t)) {
            return a;
          }
        }
        throw bad(key, source, "must be one of " + key.allowed() + ", got '" + t + "'");
      case INT:
        try {
          long v = Long.parseLong(t);
          return inRange(key, source, v, t);
        } catch (NumberFormatException e) {
          throw bad(key, source, "must be a whole number" + range(key) + ", got '" + t + "'");
        }
      case DOUBLE:
        try {
          double v = Double.parseDouble(t);
          if (!(v >= key.min() && v <= key.max())) {
            throw bad(key, source, "must be" + range(key) + ", got " + t);
          }
          return v;
        } catch (NumberFormatException e) {
          throw bad(key, source, "must be a number" + range(key) + ", got '" + t + "'");
        }
      case SIZE:
        return inRange(key, source, size(key, source, t), t);
      case DURATION:
        Duration d = duration(key, source, t);
        if (d.toMillis() < key.min() || d.toMillis() > key.max()) {
          throw bad(
              key,
              source,
              "must be between "
                  + Duration.ofMillis((long) key.min())
                  + " and "
                  + Duration.ofMillis((long) key.max())
                  + ", got "
                  + t);
        }
        return d;
      default:
        throw new AssertionError(key.kind());
    }
  }

  private static long inRange(ConfigKey key, String source, long v, String text) {
    if (v < key.min() || v > key.max()) {
      throw bad(key, source, "must be" + range(key) + ", got " + text);
    }
    return v;
  }

  private static String range(ConfigKey key) {
    return " between " + (long) key.min() + " and " + (long) key.max();
  }

  private static long size(ConfigKey key, String source, String t) {
    Matcher m = SIZE.matcher(t);
    if (!m.matches()) {
      throw bad(key, source, "must be a byte count like 1048576, 64KiB or 1MiB, got '" + t + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    long mult =
        switch (unit) {
          case "KiB", "KB" -> 1024L;
          case "MiB", "MB" -> 1024L * 1024;
          case "GiB", "GB" -> 1024L * 1024 * 1024;
          default -> 1L;
        };
    return n * mult;
  }

  private static Duration duration(ConfigKey key, String source, String t) {
    return parseDuration(t)
        .orElseThrow(() -> bad(key, source, DURATION_FORM + ", got '" + t + "'"));
  }

  /** What a duration looks like, for error messages. */
  public static final String DURATION_FORM =
      "must be a duration like 500ms, 30s, 5m, 1h, 14d or PT30S";

  /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 14d} or ISO-8601. */
  public static Optional<Duration> parseDuration(String t) {
    Matcher m = DURATION.matcher(t.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return Optional.of(
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          });
    }
    try {
      return Optional.of(Duration.parse(t));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static ConfigException bad(ConfigKey key, String source, String problem) {
    return new ConfigException(key.key(), problem + " (from " + source + ")");
  }
}
