package dev.plimsoll.internal.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Totals counted outside the workers (admission, user cancellations, purges, listeners) and the
 * peaks. What workers count lives in their own {@link WorkerCounts}.
 */
final class Counters {
  final LongAdder queued = new LongAdder();
  final LongAdder cancelled = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder purged = new LongAdder();
  final LongAdder listenerErrors = new LongAdder();

  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger peakActive = new AtomicInteger();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong peakPending = new AtomicLong();

  void started() {
    int now = running.incrementAndGet();
    if (now > peakActive.get()) {
      peakActive.accumulateAndGet(now, Math::max);
    }
  }

  void ended() {
    running.decrementAndGet();
  }

  /** Pending as this node saw it change: + accepted, retried, released; − claimed, cancelled. */
  void pending(long delta) {
    long now = pending.addAndGet(delta);
    if (delta > 0 && now > peakPending.get()) {
      peakPending.accumulateAndGet(now, Math::max);
    }
  }

  /** Re-anchors the pending estimate on the store's count (other nodes change it too). */
  void pendingObserved(long storeCount) {
    pending.set(storeCount);
    peakPending.accumulateAndGet(storeCount, Math::max);
  }

  int running() {
    return running.get();
  }

  int peakActive() {
    return peakActive.get();
  }

  long pending() {
    return Math.max(0, pending.get());
  }

  long peakPending() {
    return peakPending.get();
  }
}
