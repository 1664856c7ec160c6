package dev.plimsoll.redis.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a repeating warning at most once per interval, saying how many were suppressed in between.
 * Thread-safe: one CAS decides who logs.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Logger log, long intervalNanos) {
    this.log = log;
    this.intervalNanos = intervalNanos;
  }

  public void warn(String message) {
    long now = System.nanoTime();
    long next = nextAt.get();
    if ((next == Long.MIN_VALUE || now - next >= 0)
        && nextAt.compareAndSet(next, now + intervalNanos)) {
      long skipped = suppressed.getAndSet(0);
      if (skipped > 0) {
        log.warn("{} ({} similar warnings suppressed)", message, skipped);
      } else {
        log.warn(message);
      }
    } else {
      suppressed.incrementAndGet();
    }
  }
}
