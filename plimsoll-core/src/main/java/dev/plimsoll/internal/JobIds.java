package dev.plimsoll.internal;

import dev.plimsoll.JobId;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates time-ordered {@link JobId}s (UUID version 7) from the engine's clock. Within one
 * generator ids are strictly increasing even when the clock stands still or steps back: the 12-bit
 * sequence field counts up and, when it overflows, borrows the next millisecond.
 *
 * <p>Lock-free: the last issued (millis, sequence) pair is one {@link AtomicLong}.
 */
public final class JobIds {
  private static final long VERSION_7 = 0x7000L;
  private static final long VARIANT = 0x8000_0000_0000_0000L;
  private static final long RANDOM_62 = 0x3FFF_FFFF_FFFF_FFFFL;

  private final Clock clock;

  /** (millis << 12) | sequence of the last id issued. */
  private final AtomicLong last = new AtomicLong();

  public JobIds(Clock clock) {
    this.clock = clock;
  }

  public JobId next() {
    long now = clock.millis() << 12;
    long prev;
    long stamp;
    do {
      prev = last.get();
      stamp = Math.max(now, prev + 1);
    } while (!last.compareAndSet(prev, stamp));
    long millis = stamp >>> 12;
    long seq = stamp & 0xFFF;
    long msb = (millis << 16) | VERSION_7 | seq;
    long lsb = VARIANT | (ThreadLocalRandom.current().nextLong() & RANDOM_62);
    return new JobId(msb, lsb);
  }
}
