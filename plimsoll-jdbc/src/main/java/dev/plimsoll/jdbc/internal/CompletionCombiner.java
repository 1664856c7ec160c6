package dev.plimsoll.jdbc.internal;

import dev.plimsoll.JobId;
import dev.plimsoll.internal.GroupCommit;
import dev.plimsoll.spi.Completion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Group commit of the completion batches of one node's workers: the batches of workers that
 * complete while another completion transaction is in progress are written in one transaction.
 *
 * <p>Why. Each worker writes its own batch when it has run it. On PostgreSQL, concurrent batches
 * insert into the same last pages of the finished table and its indexes and wait for each other's
 * page locks; measured with four writers on two cores, a job's move cost about twice what it costs
 * one writer. One writer at a time per node, with batches as large as the workers make meanwhile,
 * removes that contention and shares each statement's and commit's fixed cost over more jobs.
 *
 * <p>Design (as {@code SubmitCombiner} in the core engine). A caller enqueues its batch; the one
 * that finds no completion in progress leads: it takes batches from the head of the queue (its own
 * first) up to {@code maxJobs} completions, writes them with one call outside the lock, and hands
 * each member its own slice of the result. Then it passes the lead to the head of the queue, or
 * clears the flag if nobody waits. No thread, no timer: a caller alone writes at once, exactly the
 * call it made before. A batch that names a job already taken into the combined write waits for the
 * next one (two decisions about one job, e.g. a stale attempt and the attempt that re-claimed it,
 * must not meet in one statement, which keeps one decision per job).
 *
 * <p>Failure. A combined write is one transaction, all or none, and its failure does not say whose
 * batch caused it, so when it fails every member writes its batch alone on its own thread and gets
 * its own outcome (completions are fenced by token and idempotent until they commit, so writing
 * again after a rolled-back attempt is safe). A batch of one rethrows its failure at once.
 *
 * <p>Bound. The queue holds one entry per caller blocked in {@link #complete}: at most one per
 * worker thread of the engine, and nothing once they return. Queueing, lead hand-over, interrupts
 * and memory ordering are {@link GroupCommit}'s.
 */
public final class CompletionCombiner {
  private static final class Member extends GroupCommit.Member {
    final List<Completion> completions;
    boolean[] applied;
    RuntimeException failure;

    Member(List<Completion> completions) {
      this.completions = completions;
    }
  }

  private final Function<List<Completion>, boolean[]> write;
  private final int maxJobs;
  private final GroupCommit<Member> commit = new GroupCommit<>();

  /**
   * @param write one transaction for a list of completions, as {@code JobStore.complete}
   * @param maxJobs most completions combined into one write (a larger single batch is still
   *     written, alone)
   */
  public CompletionCombiner(Function<List<Completion>, boolean[]> write, int maxJobs) {
    if (maxJobs < 1) {
      throw new IllegalArgumentException("maxJobs must be at least 1, was " + maxJobs);
    }
    this.write = write;
    this.maxJobs = maxJobs;
  }

  /** Writes the caller's completions, combined with those of concurrent callers. */
  public boolean[] complete(List<Completion> completions) {
    Member me = new Member(completions);
    if (commit.join(me)) {
      lead();
    }
    if (me.done()) {
      return me.applied;
    }
    if (me.failure != null) {
      throw me.failure;
    }
    return write.apply(completions);
  }

  /** Callers waiting in the queue now, the leader's batch excluded (for tests). */
  int queued() {
    return commit.queued();
  }

  private void lead() {
    List<Member> batch = commit.take(this::take);
    List<Completion> all;
    if (batch.size() == 1) {
      all = batch.get(0).completions;
    } else {
      all = new ArrayList<>();
      for (Member m : batch) {
        all.addAll(m.completions);
      }
    }
    boolean[] applied = null;
    RuntimeException failure = null;
    try {
      applied = write.apply(all);
      if (applied.length != all.size()) {
        applied = null; // a broken answer: let each member learn its own outcome alone
      }
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      commit.passLead();
      hand(batch, applied, failure);
    }
  }

  /** The head of the queue, then every batch after it that fits and names no job taken already. */
  private List<Member> take(ArrayDeque<Member> queue) {
    List<Member> batch = new ArrayList<>();
    Member head = queue.pollFirst();
    batch.add(head);
    int size = head.completions.size();
    Set<JobId> ids = null;
    for (Iterator<Member> it = queue.iterator(); it.hasNext() && size < maxJobs; ) {
      Member m = it.next();
      if (size + m.completions.size() > maxJobs) {
        continue;
      }
      if (ids == null) {
        ids = idsOf(head.completions);
      }
      if (overlaps(ids, m.completions)) {
        continue;
      }
      for (Completion c : m.completions) {
        ids.add(c.id());
      }
      it.remove();
      batch.add(m);
      size += m.completions.size();
    }
    return batch;
  }

  private static Set<JobId> idsOf(List<Completion> completions) {
    Set<JobId> ids = new HashSet<>();
    for (Completion c : completions) {
      ids.add(c.id());
    }
    return ids;
  }

  private static boolean overlaps(Set<JobId> ids, List<Completion> completions) {
    for (Completion c : completions) {
      if (ids.contains(c.id())) {
        return true;
      }
    }
    return false;
  }

  private void hand(List<Member> batch, boolean[] applied, RuntimeException failure) {
    int offset = 0;
    for (Member m : batch) {
      int n = m.completions.size();
      if (applied != null) {
        m.applied = new boolean[n];
        System.arraycopy(applied, offset, m.applied, 0, n);
      } else if (batch.size() == 1) {
        m.failure = failure; // its own write failed: it is not written twice
      }
      offset += n;
      commit.hand(m, applied != null);
    }
  }
}
