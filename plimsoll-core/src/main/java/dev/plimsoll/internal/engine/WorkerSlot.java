package dev.plimsoll.internal.engine;

import dev.plimsoll.JobId;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.LeaseRenewal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one worker is running now, for the scheduler (timeouts, stuck detection, heartbeats) and for
 * cancellation. The worker writes it at the start and end of each attempt; other threads interrupt
 * the worker only through {@link #interrupt}, under this object's monitor, and only while the
 * attempt they mean is still the current one — so an interrupt never reaches the next attempt.
 * {@link #end} clears any interrupt status left over.
 */
final class WorkerSlot {
  /** {@link #skipReason} of a waiting job whose lease was lost. */
  static final String LEASE_LOST = "lease lost";

  final int index;
  final SampleWindow samples = new SampleWindow();
  final WorkerCounts counts = new WorkerCounts();

  private Thread thread;
  private JobId jobId;
  private long token;
  private ScopeTask task;
  private long deadline = Long.MAX_VALUE;
  private String cancelReason;
  private boolean timedOut;
  private boolean leaseLost;
  private boolean stuck;
  private List<ClaimedJob> batch = List.of();
  private int next;
  private final Map<JobId, String> skip = new HashMap<>();

  WorkerSlot(int index) {
    this.index = index;
  }

  synchronized void bind(Thread t) {
    thread = t;
  }

  /** The worker claimed {@code claimed}; until each starts, it is "waiting" in this slot. */
  synchronized void holdBatch(List<ClaimedJob> claimed) {
    batch = claimed;
    next = 0;
    skip.clear();
  }

  /** The batch is done: nothing waits here any more. */
  synchronized void releaseBatch() {
    batch = List.of();
    next = 0;
    skip.clear();
  }

  /**
   * Why a claimed job must not start: {@link #LEASE_LOST}, a cancellation reason, or null to run
   * it. Heartbeats and cancellation mark waiting jobs through {@link #skipWaiting}.
   */
  synchronized String skipReason(JobId id) {
    return skip.remove(id);
  }

  /** Marks a claimed job that has not started yet; false if it is not waiting here. */
  synchronized boolean skipWaiting(JobId id, String reason) {
    for (int i = next; i < batch.size(); i++) {
      if (batch.get(i).job().id().equals(id)) {
        skip.putIfAbsent(id, reason);
        return true;
      }
    }
    return false;
  }

  /** Adds this worker's current attempt and its claimed-but-waiting jobs to a heartbeat. */
  synchronized void leasesInto(List<LeaseRenewal> out) {
    if (jobId != null) {
      out.add(new LeaseRenewal(jobId, token));
    }
    for (int i = next; i < batch.size(); i++) {
      ClaimedJob c = batch.get(i);
      if (!c.job().id().equals(jobId)) {
        out.add(new LeaseRenewal(c.job().id(), c.token()));
      }
    }
  }

  synchronized void beginJob(JobId id, long fencingToken, long deadlineMillis) {
    reset();
    if (next < batch.size() && batch.get(next).job().id().equals(id)) {
      next++;
    }
    jobId = id;
    token = fencingToken;
    deadline = deadlineMillis;
  }

  synchronized void beginTask(ScopeTask scopeTask, long deadlineMillis) {
    reset();
    task = scopeTask;
    deadline = deadlineMillis;
  }

  /** Ends the current attempt; returns what happened to it meanwhile. */
  synchronized Flags end() {
    Flags flags = new Flags(cancelReason, timedOut, leaseLost, stuck);
    reset();
    Thread.interrupted();
    return flags;
  }

  private void reset() {
    jobId = null;
    task = null;
    token = 0;
    deadline = Long.MAX_VALUE;
    cancelReason = null;
    timedOut = false;
    leaseLost = false;
    stuck = false;
  }

  /** Cancels the running job {@code id} if it is this worker's; true if it was. */
  synchronized boolean cancelJob(JobId id, String reason) {
    if (jobId == null || !jobId.equals(id)) {
      return false;
    }
    if (cancelReason == null) {
      cancelReason = reason;
    }
    thread.interrupt();
    return true;
  }

  synchronized boolean cancelTask(ScopeTask t, String reason) {
    if (task != t) {
      return false;
    }
    if (cancelReason == null) {
      cancelReason = reason;
    }
    thread.interrupt();
    return true;
  }

  /** Interrupts whatever runs, for shutdown. */
  synchronized boolean cancelAny(String reason) {
    if (jobId == null && task == null) {
      return false;
    }
    if (cancelReason == null) {
      cancelReason = reason;
    }
    thread.interrupt();
    return true;
  }

  /** The store says the lease of {@code id} is gone: stop it if running, skip it if waiting. */
  synchronized void loseLease(JobId id) {
    if (jobId != null && jobId.equals(id)) {
      leaseLost = true;
      thread.interrupt();
    } else {
      skipWaiting(id, LEASE_LOST);
    }
  }

  /**
   * Scheduler check at {@code now}: interrupts an attempt past its deadline (returns TIMED_OUT),
   * reports one still running {@code stuckGrace} later (returns STUCK, once).
   */
  synchronized Check check(long now, long stuckGraceMillis) {
    if (deadline == Long.MAX_VALUE || now < deadline) {
      return Check.OK;
    }
    if (!timedOut) {
      timedOut = true;
      thread.interrupt();
      return Check.TIMED_OUT;
    }
    if (!stuck && now >= deadline + stuckGraceMillis) {
      stuck = true;
      return Check.STUCK;
    }
    return Check.OK;
  }

  /** The next time {@link #check} has something to do, or {@link Long#MAX_VALUE}. */
  synchronized long nextCheck(long stuckGraceMillis) {
    if (deadline == Long.MAX_VALUE || stuck) {
      return Long.MAX_VALUE;
    }
    return timedOut ? deadline + stuckGraceMillis : deadline;
  }

  synchronized boolean isStuck() {
    return stuck;
  }

  synchronized boolean isBusy() {
    return jobId != null || task != null;
  }

  synchronized JobId jobId() {
    return jobId;
  }

  synchronized boolean isCancelled() {
    return cancelReason != null;
  }

  enum Check {
    OK,
    TIMED_OUT,
    STUCK
  }

  record Flags(String cancelReason, boolean timedOut, boolean leaseLost, boolean stuck) {}
}
