package dev.plimsoll.internal.engine;

import dev.plimsoll.internal.GroupCommit;
import dev.plimsoll.spi.InsertResult;
import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.NewJob;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Queueing, lead hand-over, interrupts (a waiting caller waits on for its outcome, so no
 * accepted job loses its id) and memory ordering are {@link GroupCommit}'s.
 */
final class SubmitCombiner {

  /**
   * The engine's ordinary insert of one caller's jobs. {@code firstFailure}, if not null, is the
   * failure of an attempt already made for exactly these jobs, {@code claimsSeen} read before it.
   */
  interface Alone {
    List<InsertResult> insert(List<NewJob> jobs, RuntimeException firstFailure, long claimsSeen);
  }

  private static final class Member extends GroupCommit.Member {
    final NewJob job;
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
  private final GroupCommit<Member> commit = new GroupCommit<>();

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
    if (commit.join(me)) {
      lead();
    }
    if (me.done()) {
      return me.result;
    }
    return alone.insert(List.of(job), me.failure, me.claimsSeen).get(0);
  }

  /** Callers waiting in the queue now, the leader's batch excluded (for tests). */
  int queued() {
    return commit.queued();
  }

  private void lead() {
    List<Member> batch =
        commit.take(
            queue -> {
              int n = Math.min(maxBatch, queue.size());
              List<Member> taken = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                taken.add(queue.pollFirst());
              }
              return taken;
            });
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
      commit.passLead();
      for (int i = 0; i < batch.size(); i++) {
        Member m = batch.get(i);
        if (results != null) {
          m.result = results.get(i);
        } else if (batch.size() == 1) {
          m.failure = failure;
          m.claimsSeen = claimsSeen;
        }
        commit.hand(m, results != null);
      }
    }
  }
}
