package dev.plimsoll.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * One {@link RateLimitedLog} per kind of event, for a logger that reports several repeating events
 * (a full queue per queue name, a breaker per type). Keys are chosen by code from bounded sets
 * (queue names, types, error codes); past {@link #MAX_KEYS} a new key is not logged.
 */
public final class KeyedRateLimitedLog {
  static final int MAX_KEYS = 4_096;

  private final Logger log;
  private final long interval;
  private final TimeUnit unit;
  private final ConcurrentHashMap<String, RateLimitedLog> byKey = new ConcurrentHashMap<>();

  public KeyedRateLimitedLog(Logger log, long interval, TimeUnit unit) {
    this.log = log;
    this.interval = interval;
    this.unit = unit;
  }

  /** Logs a warning for {@code key} unless one was logged for it within the interval. */
  public void warn(String key, String message, Object... args) {
    RateLimitedLog window = byKey.get(key);
    if (window == null && byKey.size() < MAX_KEYS) {
      window = byKey.computeIfAbsent(key, k -> new RateLimitedLog(log, interval, unit));
    }
    if (window != null) {
      window.warn(message, args);
    }
  }
}
