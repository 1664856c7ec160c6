package dev.plimsoll.process.internal;

import dev.plimsoll.process.ProcessPoolStats;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link ProcessPoolStats}; lock-free, shared by both pool kinds. */
public final class PoolCounters {
  private final LongAdder processed = new LongAdder();
  private final LongAdder queued = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger peakActive = new AtomicInteger();
  private final AtomicInteger peakQueue = new AtomicInteger();

  public void admitted(int queueSizeNow) {
    queued.increment();
    peakQueue.accumulateAndGet(queueSizeNow, Math::max);
  }

  public void rejected() {
    rejected.increment();
  }

  public void started() {
    peakActive.accumulateAndGet(active.incrementAndGet(), Math::max);
  }

  /** A call that started ended; {@code ok} false counts an error. */
  public void finished(boolean ok, boolean timeout) {
    active.decrementAndGet();
    ended(ok, timeout);
  }

  /** A call ended without starting (failed in the queue at shutdown). */
  public void ended(boolean ok, boolean timeout) {
    processed.increment();
    if (!ok) {
      errors.increment();
    }
    if (timeout) {
      timedOut.increment();
    }
  }

  public int active() {
    return active.get();
  }

  public ProcessPoolStats snapshot(String name, int queueSize, int maxConcurrency, int capacity) {
    int activeNow = active.get();
    double utilization = Math.round(activeNow * 1000.0 / maxConcurrency) / 10.0;
    return new ProcessPoolStats(
        name,
        processed.sum(),
        queued.sum(),
        errors.sum(),
        rejected.sum(),
        timedOut.sum(),
        peakActive.get(),
        peakQueue.get(),
        activeNow,
        queueSize,
        maxConcurrency,
        capacity,
        utilization);
  }
}
