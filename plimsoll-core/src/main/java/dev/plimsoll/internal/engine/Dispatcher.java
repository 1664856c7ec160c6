package dev.plimsoll.internal.engine;

import dev.plimsoll.JobId;
import dev.plimsoll.WorkerThreads;
import dev.plimsoll.internal.KeyedRateLimitedLog;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.JobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.LoggerFactory;

/**
 * The workers: exactly {@code concurrency} threads, started once, each looping over "run a queued
 * scope task, else claim a batch of jobs and run them, else wait for work".
 *
 * <p>Waiting without lost wake-ups: a worker reads {@link #epoch} before it looks for work and
 * sleeps only while the epoch is unchanged. Whoever makes work available increments the epoch first
 * and then signals if any worker is idle. Either the worker sees the new epoch, or the signaller
 * sees it idle (both sides use sequentially consistent atomics), so no work waits for a sleeping
 * worker. Stores fed by other nodes are also polled every {@code pollInterval}.
 *
 * <p>Claims grow in batches (doubling to {@code claimBatch} while full batches come back) and
 * completions are written in batches, flushed early after any attempt that took a millisecond or
 * more so that slow jobs do not hold back their neighbours' results.
 */
final class Dispatcher {
  private static final KeyedRateLimitedLog LOG =
      new KeyedRateLimitedLog(LoggerFactory.getLogger(Dispatcher.class), 10, TimeUnit.SECONDS);

  private final EngineSettings settings;
  private final JobStore store;
  private final Gates gates;
  private final Attempts attempts;
  private final Scopes scopes;
  private final Counters counters;
  private final WorkerSlot[] slots;
  private final Thread[] threads;
  private final ReentrantLock idleLock = new ReentrantLock();
  private final Condition workSignal = idleLock.newCondition();
  private final AtomicLong epoch = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean wakePending =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile int idle;
  private volatile boolean claiming = true;
  private volatile boolean stopped;
  private final Runnable onClaimed;
  private final long pollNanos;
  private volatile Runnable onSignal = () -> {};

  Dispatcher(
      EngineSettings settings,
      Gates gates,
      Attempts attempts,
      Scopes scopes,
      Counters counters,
      Runnable onClaimed) {
    this.settings = settings;
    this.store = settings.store();
    this.gates = gates;
    this.attempts = attempts;
    this.scopes = scopes;
    this.counters = counters;
    this.onClaimed = onClaimed;
    this.pollNanos = settings.pollInterval().toNanos();
    int n = settings.concurrency();
    this.slots = new WorkerSlot[n];
    this.threads = new Thread[n];
    ThreadFactory factory = threadFactory(settings.workerThreads());
    for (int i = 0; i < n; i++) {
      WorkerSlot slot = new WorkerSlot(i);
      slots[i] = slot;
      threads[i] = factory.newThread(() -> workerLoop(slot));
      threads[i].setName("plimsoll-worker-" + i);
      slot.bind(threads[i]);
    }
  }

  private static ThreadFactory threadFactory(WorkerThreads kind) {
    if (kind == WorkerThreads.VIRTUAL) {
      return VirtualThreads.factory();
    }
    return r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    };
  }

  void start() {
    for (Thread t : threads) {
      t.start();
    }
  }

  /** Also tell {@code r} whenever work may be claimable (the parked remote claims). */
  void onSignal(Runnable r) {
    this.onSignal = r;
  }

  WorkerSlot[] slots() {
    return slots;
  }

  /**
   * Work may be claimable: wake an idle worker, unless a wake-up is already on its way (the woken
   * worker claims a growing batch and wakes the next one if it finds a full batch).
   */
  void signalWork() {
    onSignal.run();
    epoch.incrementAndGet();
    if (idle > 0 && !wakePending.get() && wakePending.compareAndSet(false, true)) {
      idleLock.lock();
      try {
        workSignal.signal();
      } finally {
        idleLock.unlock();
      }
    }
  }

  /** Many jobs may be claimable: wake every idle worker. */
  void signalAll() {
    onSignal.run();
    epoch.incrementAndGet();
    if (idle > 0) {
      idleLock.lock();
      try {
        workSignal.signalAll();
      } finally {
        idleLock.unlock();
      }
    }
  }

  private void workerLoop(WorkerSlot slot) {
    int batch = 1;
    List<Completion> decisions = new ArrayList<>();
    List<ClaimedJob> decided = new ArrayList<>();
    while (!stopped) {
      long seen = epoch.get();
      ScopeTask task = scopes.poll();
      if (task != null) {
        runScopeTask(slot, task);
        continue;
      }
      if (!claiming) {
        awaitWork(seen);
        continue;
      }
      long now = settings.clock().millis();
      Set<String> types = gates.claimable(now);
      if (types.isEmpty()) {
        awaitWork(seen);
        continue;
      }
      int max = gates.restricted(types) ? 1 : batch;
      List<ClaimedJob> claimed;
      try {
        claimed =
            store.claim(
                new ClaimRequest(
                    max, types, settings.nodeId(), Instant.ofEpochMilli(now), settings.lease()));
      } catch (RuntimeException e) {
        LOG.warn("claim-failed", "claiming jobs failed, will retry: {}", e.toString());
        awaitWork(seen);
        continue;
      }
      if (claimed.isEmpty()) {
        batch = 1;
        awaitWork(seen);
        continue;
      }
      if (claimed.size() == max) {
        batch = Math.min(max * 2, settings.claimBatch());
        signalWork();
      } else {
        batch = claimed.size();
      }
      counters.pending(-claimed.size());
      onClaimed.run();
      runBatch(slot, claimed, decisions, decided);
    }
  }

  private void runBatch(
      WorkerSlot slot,
      List<ClaimedJob> claimed,
      List<Completion> decisions,
      List<ClaimedJob> decided) {
    slot.holdBatch(claimed);
    for (ClaimedJob job : claimed) {
      Completion c;
      String skip = slot.skipReason(job.job().id());
      if (WorkerSlot.LEASE_LOST.equals(skip)) {
        continue; // another node may hold it now; nothing of ours to record
      } else if (skip != null) {
        c = attempts.cancelBeforeStart(job, skip);
      } else if (stopped) {
        c = attempts.abandon(job);
      } else {
        long before = settings.clock().millis();
        c = attempts.run(slot, job, gates.get(job.job().type()));
        if (c != null && c.at().toEpochMilli() - before >= 1) {
          decisions.add(c);
          decided.add(job);
          flush(slot, decisions, decided);
          continue;
        }
      }
      if (c != null) {
        decisions.add(c);
        decided.add(job);
      }
    }
    flush(slot, decisions, decided);
    slot.releaseBatch();
  }

  private void flush(WorkerSlot slot, List<Completion> decisions, List<ClaimedJob> decided) {
    if (decisions.isEmpty()) {
      return;
    }
    try {
      boolean[] applied = store.complete(decisions);
      attempts.applied(slot, decided, decisions, applied);
    } catch (RuntimeException e) {
      LOG.warn(
          "complete-failed",
          "recording {} outcomes failed ({}); the store's leases return those jobs to the queue",
          decisions.size(),
          e.toString());
    } finally {
      decisions.clear();
      decided.clear();
    }
  }

  private void runScopeTask(WorkerSlot slot, ScopeTask task) {
    if (!task.start(slot)) {
      return;
    }
    long start = settings.clock().millis();
    long deadline = start + settings.defaultTimeout().toMillis();
    slot.beginTask(task, deadline);
    attempts.scopeTaskStarted(deadline);
    Object result = null;
    Throwable failure = null;
    try {
      result = task.callable.call();
    } catch (Throwable t) {
      failure = t;
    }
    WorkerSlot.Flags flags = slot.end();
    counters.ended();
    String reason = flags.cancelReason();
    if (reason == null && flags.timedOut()) {
      reason = "scope task timed out after " + settings.defaultTimeout().toMillis() + " ms";
    }
    task.scope.taskEnded(task);
    task.finish(result, failure, reason);
  }

  private void awaitWork(long seen) {
    idleLock.lock();
    try {
      idle++;
      // A wake-up flagged "in flight" may have found no waiter (its target had just left); if
      // the flag stayed set, later submissions would not signal this worker and the job would
      // wait for the poll interval. Whoever starts waiting clears it, so a waiter is always
      // signalled; a stale signal at worst wakes a worker that finds nothing.
      wakePending.set(false);
      long nanos = pollNanos;
      while (epoch.get() == seen && !stopped && nanos > 0) {
        nanos = workSignal.awaitNanos(nanos);
        // The signal that woke us may belong to an epoch we had already seen (we read it just
        // before its signaller raised the flag); we go back to waiting, so lower the flag or no
        // one would signal us again.
        wakePending.set(false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Thread.interrupted();
    } finally {
      idle--;
      idleLock.unlock();
      wakePending.set(false);
    }
  }

  /** Interrupts the local attempt of {@code id}, or marks it if it waits in a claimed batch. */
  boolean cancelRunning(JobId id, String reason) {
    for (WorkerSlot s : slots) {
      if (s.cancelJob(id, reason) || s.skipWaiting(id, reason)) {
        return true;
      }
    }
    return false;
  }

  int busy() {
    int n = 0;
    for (WorkerSlot s : slots) {
      if (s.isBusy()) {
        n++;
      }
    }
    return n;
  }

  /** Stop claiming new jobs (scope tasks still run). */
  void stopClaiming() {
    claiming = false;
    signalAll();
  }

  /** Interrupt every running attempt with {@code reason}. */
  void interruptAll(String reason) {
    for (WorkerSlot s : slots) {
      s.cancelAny(reason);
    }
  }

  /** Ends the worker loops and waits up to {@code nanos} for the threads; returns those alive. */
  List<Thread> stop(long nanos) {
    stopped = true;
    signalAll();
    long deadline = System.nanoTime() + nanos;
    List<Thread> alive = new ArrayList<>();
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        alive.add(t);
      }
    }
    return alive;
  }

  int aliveThreads() {
    int n = 0;
    for (Thread t : threads) {
      if (t.isAlive()) {
        n++;
      }
    }
    return n;
  }
}
