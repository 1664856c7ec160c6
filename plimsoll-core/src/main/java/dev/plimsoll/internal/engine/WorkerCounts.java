package dev.plimsoll.internal.engine;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Totals counted by one worker, written only by that worker and read by snapshots. Padded on both
 * sides so that two workers' counters (and the submitters' adders) never share a cache line: with
 * shared {@link java.util.concurrent.atomic.LongAdder}s the workers spent more time moving cache
 * lines than running jobs. The remote workers' counts are written by many threads: they are built
 * {@code shared} and increment atomically.
 */
final class WorkerCounts {
  static final int PROCESSED = 0;
  static final int SUCCEEDED = 1;
  static final int ERRORS = 2;
  static final int RETRIED = 3;
  static final int DEAD = 4;
  static final int CANCELLED = 5;
  static final int TIMED_OUT = 6;
  static final int FENCED = 7;
  private static final int KINDS = 8;
  private static final int PAD = 8;

  private final AtomicLongArray counts = new AtomicLongArray(PAD + KINDS + PAD);
  private final boolean shared;

  WorkerCounts() {
    this(false);
  }

  WorkerCounts(boolean shared) {
    this.shared = shared;
  }

  /**
   * Single writer: a plain read and an ordered write, no read-modify-write instruction; shared: an
   * atomic increment.
   */
  void increment(int kind) {
    int i = PAD + kind;
    if (shared) {
      counts.incrementAndGet(i);
    } else {
      counts.lazySet(i, counts.get(i) + 1);
    }
  }

  long get(int kind) {
    return counts.get(PAD + kind);
  }

  static long sum(WorkerSlot[] slots, int kind) {
    long n = 0;
    for (WorkerSlot s : slots) {
      n += s.counts.get(kind);
    }
    return n;
  }
}
