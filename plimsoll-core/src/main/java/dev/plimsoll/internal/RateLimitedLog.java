package dev.plimsoll.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a repeating event at most once per interval per key, and says how many were suppressed in
 * between. Keys are a bounded set of event names chosen by code, never user data.
 */
public final class RateLimitedLog {
  private static final int MAX_KEYS = 4_096;

  private final Logger log;
  private final long intervalNanos;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimitedLog(Logger log, long intervalNanos) {
    this.log = log;
    this.intervalNanos = intervalNanos;
  }

  /** Logs a warning for {@code key} if none was logged within the interval. */
  public void warn(String key, String message, Object... args) {
    Window w = window(key);
    if (w != null && w.admit(System.nanoTime(), intervalNanos)) {
      long suppressed = w.suppressed.getAndSet(0);
      if (suppressed > 0) {
        log.warn(message + " (" + suppressed + " similar suppressed)", args);
      } else {
        log.warn(message, args);
      }
    }
  }

  private Window window(String key) {
    Window w = windows.get(key);
    if (w == null && windows.size() < MAX_KEYS) {
      w = windows.computeIfAbsent(key, k -> new Window());
    }
    return w;
  }

  private static final class Window {
    final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong suppressed = new AtomicLong();

    boolean admit(long now, long interval) {
      long last = lastNanos.get();
      if (last != Long.MIN_VALUE && now - last < interval) {
        suppressed.incrementAndGet();
        return false;
      }
      if (lastNanos.compareAndSet(last, now)) {
        return true;
      }
      suppressed.incrementAndGet();
      return false;
    }
  }
}
