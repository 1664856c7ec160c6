package dev.plimsoll.internal.engine;

import dev.plimsoll.spi.InsertResult;
import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.NewJob;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Group commit of concurrent single submissions: one store transaction for the jobs of callers that
 * submit while another insert is in progress.
 *
 * <p>Design. A caller (its job already validated and admitted) enqueues itself; the one that finds
 * no insert in progress leads: it takes up to {@code maxBatch} callers from the head of the queue
 * (itself first), makes one {@link JobStore#insert} for their jobs outside the lock, and hands each
 * member its own {@link InsertResult}. Then it passes the lead to the head of the queue (the
 * callers that arrived meanwhile), or clears the flag if nobody waits. No thread, no timer: a
 * caller alone leads a batch of one at once, so an uncontended submit makes the same single store
 * call as before.
 *
 * <p>Failure. A combined insert is all-or-none and its failure does not say which member caused it
 * (one full queue, one store error), so when it fails every member inserts alone, on its own
 * thread, through the engine's ordinary path ({@link Alone}): REJECT, BLOCK waiting, store errors,
 * counters, listeners and logs are exactly those of an uncombined submit. A batch of one hands its
 * failure to that path as its first attempt (the store is not called twice). Duplicate idempotency
 * keys inside one batch are the stores' business: the SPI contract ({@code
 * duplicateKeysInsideOneBatchInsertOneJob}) returns the first job's id, {@code duplicate = true},
 * for the later ones, which is what the later caller would have got alone.
 *
 * <p>Bound. The queue holds one entry per caller blocked in {@link #insert}: it is bounded by the
 * callers' threads (the HTTP server's request pool), and holds nothing once they return. A caller
 * waits for at most the insert in progress and its own batch.
 *
 * <p>Interrupts. A waiting caller cannot withdraw (its job may already be in a leader's insert), so
 * it waits on for its outcome and then re-asserts its interrupt: no accepted job loses its id.
 *
 * <p>Locking. One lock guards the queue and the lead flag; the store is called outside it. A
 * member's outcome is written before its volatile {@code state}, and its thread is unparked after.
 */
final class SubmitCombiner {

  /**
   * The engine's ordinary insert of one caller's jobs. {@code firstFailure}, if not null, is the
   * failure of an attempt already made for exactly these jobs, {@code claimsSeen} read before it.
   */
  interface Alone {
    List<InsertResult> insert(List<NewJob> jobs, RuntimeException firstFailure, long claimsSeen);
  }

  private static final int WAITING = 0;
  private static final int LEAD = 1;
  private static final int DONE = 2;
  private static final int ALONE = 3;

  private static final class Member {
    final NewJob job;
    final Thread thread = Thread.currentThread();
    volatile int state = WAITING;
    InsertResult result;
    RuntimeException failure;
    long claimsSeen;

    Member(NewJob job) {
      this.job = job;
    }
  }

  private final JobStore store;
  private final int maxBatch;
  private final LongSupplier claims;
  private final Runnable stored;
  private final Alone alone;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Member> queue = new ArrayDeque<>();
  private boolean leading;

  /**
   * @param claims the engine's claim count (read before each combined insert, for BLOCK waiting)
   * @param stored called after a combined insert succeeded (the store is reachable)
   */
  SubmitCombiner(JobStore store, int maxBatch, LongSupplier claims, Runnable stored, Alone alone) {
    this.store = store;
    this.maxBatch = maxBatch;
    this.claims = claims;
    this.stored = stored;
    this.alone = alone;
  }

  /** Inserts one admitted job, combined with those of concurrent callers; the caller's result. */
  InsertResult insert(NewJob job) {
    Member me = new Member(job);
    boolean lead;
    lock.lock();
    try {
      queue.addLast(me);
      lead = !leading;
      leading = true;
    } finally {
      lock.unlock();
    }
    if (!lead) {
      awaitTurn(me);
    }
    if (me.state == LEAD || lead) {
      lead();
    }
    if (me.state == DONE) {
      return me.result;
    }
    return alone.insert(List.of(job), me.failure, me.claimsSeen).get(0);
  }

  /** Callers waiting in the queue now, the leader's batch excluded (for tests). */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private static void awaitTurn(Member me) {
    boolean interrupted = false;
    while (me.state == WAITING) {
      LockSupport.park(me);
      if (Thread.interrupted()) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void lead() {
    List<Member> batch;
    lock.lock();
    try {
      int n = Math.min(maxBatch, queue.size());
      batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(queue.pollFirst());
      }
    } finally {
      lock.unlock();
    }
    List<NewJob> jobs = new ArrayList<>(batch.size());
    for (Member m : batch) {
      jobs.add(m.job);
    }
    long claimsSeen = claims.getAsLong();
    List<InsertResult> results = null;
    RuntimeException failure = null;
    try {
      results = store.insert(jobs);
      if (results.size() != jobs.size()) {
        results = null; // a broken store: let each member learn its own outcome alone
      } else {
        stored.run();
      }
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      passLead();
      for (int i = 0; i < batch.size(); i++) {
        Member m = batch.get(i);
        if (results != null) {
          m.result = results.get(i);
          m.state = DONE;
        } else {
          if (batch.size() == 1) {
            m.failure = failure;
            m.claimsSeen = claimsSeen;
          }
          m.state = ALONE;
        }
        if (m.thread != Thread.currentThread()) {
          LockSupport.unpark(m.thread);
        }
      }
    }
  }

  private void passLead() {
    lock.lock();
    try {
      Member next = queue.peekFirst();
      if (next == null) {
        leading = false;
      } else {
        next.state = LEAD;
        LockSupport.unpark(next.thread);
      }
    } finally {
      lock.unlock();
    }
  }
}
