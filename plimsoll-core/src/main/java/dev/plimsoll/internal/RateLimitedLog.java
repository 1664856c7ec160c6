package dev.plimsoll.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs one warning per interval for an event that may repeat (rejections, timeouts, crashes); the
 * next line that gets through says how many were suppressed in between. Lock-free: a racing caller
 * simply counts as suppressed.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextAllowed;
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Logger log, long interval, TimeUnit unit) {
    this(log, interval, unit, System::nanoTime);
  }

  RateLimitedLog(Logger log, long interval, TimeUnit unit, LongSupplier nanoTime) {
    this.log = log;
    this.intervalNanos = unit.toNanos(interval);
    this.nanoTime = nanoTime;
    this.nextAllowed = new AtomicLong(nanoTime.getAsLong());
  }

  /** Logs {@code message} (an SLF4J pattern) at WARN unless one was logged within the interval. */
  public void warn(String message, Object... args) {
    String line = admit(message);
    if (line != null) {
      log.warn(line, args);
    }
  }

  /** As {@link #warn}, at INFO. */
  public void info(String message, Object... args) {
    String line = admit(message);
    if (line != null) {
      log.info(line, args);
    }
  }

  /** The message to log now (with the suppressed count), or null to suppress it. */
  private String admit(String message) {
    long now = nanoTime.getAsLong();
    long allowed = nextAllowed.get();
    if (now - allowed < 0 || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return null;
    }
    long skipped = suppressed.getAndSet(0);
    return skipped > 0 ? message + " (" + skipped + " similar suppressed)" : message;
  }
}
