package dev.plimsoll.internal.engine;

import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.JobId;
import dev.plimsoll.JobOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Futures of callers waiting for jobs to end, bounded by {@code max}. An entry is removed when its
 * job ends (or the engine closes), so the map holds only futures of unfinished jobs.
 */
final class Waiters {
  private final ConcurrentHashMap<JobId, CompletableFuture<JobOutcome>> byJob =
      new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int max;

  Waiters(int max) {
    this.max = max;
  }

  CompletableFuture<JobOutcome> register(JobId id) {
    CompletableFuture<JobOutcome> existing = byJob.get(id);
    if (existing != null) {
      return existing;
    }
    if (size.incrementAndGet() > max) {
      size.decrementAndGet();
      throw new CapacityExceededException("completion waiters (maxWaiters)", max);
    }
    CompletableFuture<JobOutcome> created = new CompletableFuture<>();
    CompletableFuture<JobOutcome> raced = byJob.putIfAbsent(id, created);
    if (raced != null) {
      size.decrementAndGet();
      return raced;
    }
    return created;
  }

  void complete(JobOutcome outcome) {
    if (size.get() == 0) {
      return;
    }
    CompletableFuture<JobOutcome> f = byJob.remove(outcome.id());
    if (f != null) {
      size.decrementAndGet();
      f.complete(outcome);
    }
  }

  void failAll(RuntimeException cause) {
    for (JobId id : byJob.keySet()) {
      CompletableFuture<JobOutcome> f = byJob.remove(id);
      if (f != null) {
        size.decrementAndGet();
        f.completeExceptionally(cause);
      }
    }
  }

  int size() {
    return size.get();
  }
}
