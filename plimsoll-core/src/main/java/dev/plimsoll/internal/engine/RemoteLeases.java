package dev.plimsoll.internal.engine;

import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's table of attempts running on remote workers: job id → {@link Lease} (token, lease
 * end, attempt deadline, worker). Every store gets these leases, including the in-memory one, which
 * has none of its own: a lease not renewed in time is found by the scheduler ({@link #due}) and its
 * attempt failed.
 *
 * <p>Bounded by {@code max} (the builder's {@code maxRemoteLeases}): a claim first {@link
 * #reserve}s slots, so the table never holds more than {@code max} entries, and gives back what it
 * did not use.
 *
 * <p>Concurrency: exactly one party ends a lease — a report ({@code succeed}/{@code fail}), the
 * scheduler's expiry, a lost store lease or shutdown — whoever wins {@link Lease#end} under the
 * lease's monitor; the others see it ended and change nothing. The earliest time a lease may end is
 * kept in {@link #nextDue} as a lower bound (heartbeats only push lease ends later), so the
 * scheduler scans the table only when something may really be due.
 */
final class RemoteLeases {
  /** Why a lease ended other than by a report. */
  enum End {
    REPORTED,
    EXPIRED,
    TIMED_OUT,
    CANCELLED,
    LOST,
    SHUTDOWN
  }

  /** One attempt held by a remote worker. */
  static final class Lease {
    final Job job;
    final long token;
    final String workerId;
    final TypeGate gate;
    final int gen;
    final long start;
    final long deadline;
    private long leaseEnd;
    private boolean cancelRequested;
    private End ended;

    Lease(Job job, long token, String workerId, TypeGate gate, int gen, long start, long lease) {
      this.job = job;
      this.token = token;
      this.workerId = workerId;
      this.gate = gate;
      this.gen = gen;
      this.start = start;
      this.deadline = start + job.timeout().toMillis();
      this.leaseEnd = start + lease;
    }

    /**
     * Tells the type's gate, if it has one, that this attempt is over ({@code outcome}: breaker).
     */
    void exitGate(Gates gates, Boolean outcome, long now) {
      if (gate != null) {
        gates.exited(gate, gen, outcome, now);
      }
    }

    synchronized long leaseEnd() {
      return leaseEnd;
    }

    /** When the scheduler must look at this lease: its end or the attempt's deadline. */
    synchronized long dueAt() {
      return Math.min(leaseEnd, deadline);
    }

    /**
     * Extends the lease to {@code until} if it is still held and has not ended at {@code now};
     * false when it is over (the caller's report would be stale).
     */
    synchronized boolean renew(long now, long until) {
      if (ended != null || now >= leaseEnd || now >= deadline) {
        return false;
      }
      leaseEnd = Math.max(leaseEnd, until);
      return true;
    }

    synchronized End endedWhy() {
      return ended;
    }

    synchronized void requestCancel() {
      cancelRequested = true;
    }

    synchronized boolean cancelRequested() {
      return cancelRequested;
    }

    /**
     * Undoes {@link #end} after the store failed to record the outcome: the lease is held again.
     */
    synchronized void reopen() {
      ended = null;
    }

    /** Ends the lease with {@code why}; false if someone else ended it first. */
    synchronized boolean end(End why) {
      if (ended != null) {
        return false;
      }
      ended = why;
      return true;
    }

    /** Ends the lease if it is due at {@code now}; returns why, or null if not due or ended. */
    synchronized End endIfDue(long now) {
      if (ended != null) {
        return null;
      }
      if (now >= deadline) {
        ended = cancelRequested ? End.CANCELLED : End.TIMED_OUT;
      } else if (now >= leaseEnd) {
        ended = cancelRequested ? End.CANCELLED : End.EXPIRED;
      }
      return ended;
    }
  }

  private final ConcurrentHashMap<JobId, Lease> byJob = new ConcurrentHashMap<>();
  private final AtomicInteger slots = new AtomicInteger();
  private final AtomicLong nextDue = new AtomicLong(Long.MAX_VALUE);
  private final int max;
  private final Runnable onFreedFromFull;

  /** Totals of remote attempts, like one worker's (written by many threads, so shared). */
  final WorkerCounts counts = new WorkerCounts(true);

  /** Wait and run times of remote attempts; written under its own monitor. */
  final SampleWindow samples = new SampleWindow();

  final LongAdder stale = new LongAdder();
  final LongAdder expired = new LongAdder();

  /** Of the last {@link #RECENT} remote attempts that ended, which ended by lease expiry. */
  static final int RECENT = 100;

  private final boolean[] recentExpired = new boolean[RECENT];
  private long recentCount;

  /**
   * @param onFreedFromFull run whenever a lease leaves a full table (claims waiting for room may
   *     now take a job), by whichever path removes it
   */
  RemoteLeases(int max, Runnable onFreedFromFull) {
    this.max = max;
    this.onFreedFromFull = onFreedFromFull;
  }

  private void freed(int heldBefore) {
    if (heldBefore >= max) {
      onFreedFromFull.run();
    }
  }

  int max() {
    return max;
  }

  /** Reserves up to {@code n} table slots; returns how many (0 when the table is full). */
  int reserve(int n) {
    while (true) {
      int held = slots.get();
      int take = Math.min(n, max - held);
      if (take <= 0) {
        return 0;
      }
      if (slots.compareAndSet(held, held + take)) {
        return take;
      }
    }
  }

  /** Gives back reserved slots that were not used. */
  void unreserve(int n) {
    // No wake-up here: slots handed back unused were a claim's own, and waking the parked claims
    // for them would have the scheduler re-serve an empty claim (reserve, find nothing, hand back,
    // wake) in a loop while the table is small.
    slots.addAndGet(-n);
  }

  /**
   * Adds a lease in a reserved slot. If the table still held an older lease of the same job (its
   * outcome was recorded, or the store re-let the job, and it is about to be removed), that one is
   * replaced and its slot freed: the caller ends it. Returns the replaced lease, or null.
   */
  Lease add(Lease lease) {
    Lease previous = byJob.put(lease.job.id(), lease);
    if (previous != null) {
      freed(slots.getAndDecrement());
    }
    nextDue.accumulateAndGet(lease.dueAt(), Math::min);
    return previous;
  }

  /** Puts back a lease whose outcome the store failed to record (it will expire or be reported). */
  void reopen(Lease lease) {
    lease.reopen();
    nextDue.accumulateAndGet(lease.dueAt(), Math::min);
  }

  Lease get(JobId id) {
    return byJob.get(id);
  }

  /** Removes an ended lease and frees its slot. */
  void remove(Lease lease) {
    if (byJob.remove(lease.job.id(), lease)) {
      freed(slots.getAndDecrement());
    }
  }

  /**
   * Ends and returns the leases due at {@code now} (they are still in the table: the caller removes
   * each after recording its outcome, or puts it back if the store failed).
   */
  List<Lease> due(long now) {
    if (now < nextDue.get()) {
      return List.of();
    }
    nextDue.set(Long.MAX_VALUE);
    List<Lease> out = new ArrayList<>();
    for (Lease l : byJob.values()) {
      if (l.endIfDue(now) != null) {
        out.add(l);
      } else {
        nextDue.accumulateAndGet(l.dueAt(), Math::min);
      }
    }
    return out;
  }

  /** The earliest time a lease may be due, or {@link Long#MAX_VALUE}. */
  long nextDue() {
    return nextDue.get();
  }

  /** Ends every lease still held (shutdown) and returns them, removed from the table. */
  List<Lease> drain() {
    List<Lease> out = new ArrayList<>();
    for (Lease l : byJob.values()) {
      if (l.end(End.SHUTDOWN)) {
        out.add(l);
      }
      remove(l);
    }
    return out;
  }

  int size() {
    return byJob.size();
  }

  /** Records an ended attempt's times and whether it ended by lease expiry. */
  void record(long wait, long run, boolean failed, boolean leaseExpired) {
    synchronized (samples) {
      samples.record(wait, run, failed);
      recentExpired[(int) (recentCount % RECENT)] = leaseExpired;
      recentCount++;
    }
  }

  /** {expired, of} over the recent window. */
  int[] recentExpiries() {
    synchronized (samples) {
      int held = (int) Math.min(recentCount, RECENT);
      int n = 0;
      for (int i = 0; i < held; i++) {
        if (recentExpired[i]) {
          n++;
        }
      }
      return new int[] {n, held};
    }
  }
}
