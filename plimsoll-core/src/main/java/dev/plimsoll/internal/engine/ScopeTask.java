package dev.plimsoll.internal.engine;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One transient task of a scope. Its state moves QUEUED → RUNNING → DONE, or QUEUED → DONE when
 * cancelled before a worker took it; a compare-and-set decides the race between a worker starting
 * it and its scope cancelling it.
 */
final class ScopeTask {
  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int DONE = 2;

  final ScopeImpl scope;
  final Callable<?> callable;
  final CompletableFuture<Object> future = new CompletableFuture<>();
  private final AtomicInteger state = new AtomicInteger(QUEUED);
  volatile WorkerSlot slot;

  ScopeTask(ScopeImpl scope, Callable<?> callable) {
    this.scope = scope;
    this.callable = callable;
  }

  /**
   * A worker takes the task; false if it was cancelled first, or if its scope has closed (then it
   * is cancelled here: closing cancels queued tasks in no particular order, and a worker freed by
   * an interrupted sibling must not start one that closing has not reached yet).
   */
  boolean start(WorkerSlot worker) {
    if (!scope.isOpen()) {
      if (cancel("scope '" + scope.name() + "' closed")) {
        scope.taskEnded(this);
      }
      return false;
    }
    slot = worker;
    if (state.compareAndSet(QUEUED, RUNNING)) {
      return true;
    }
    slot = null;
    return false;
  }

  void finish(Object result, Throwable failure, String cancelReason) {
    state.set(DONE);
    slot = null;
    if (cancelReason != null) {
      future.completeExceptionally(new CancellationException(cancelReason));
    } else if (failure != null) {
      future.completeExceptionally(failure);
    } else {
      future.complete(result);
    }
  }

  /**
   * Cancels: a queued task ends at once (returns true: the caller removes it from the queue); a
   * running one is interrupted through its worker and ends when its callable returns.
   */
  boolean cancel(String reason) {
    if (state.compareAndSet(QUEUED, DONE)) {
      future.completeExceptionally(new CancellationException(reason));
      return true;
    }
    WorkerSlot s = slot;
    if (s != null) {
      s.cancelTask(this, reason);
    }
    return false;
  }
}
