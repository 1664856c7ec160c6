package dev.plimsoll.internal;

import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The queue and the hand-over of the lead behind group commit: callers that arrive while one of
 * them writes to the store wait, and the next leader writes for all of them at once. Used by the
 * engine's combined submissions and by the SQL store's combined completions, which each decide what
 * a batch is and what its members get.
 *
 * <p>Protocol. A caller {@link #join joins}; the one that finds nobody leading leads at once (the
 * queue was empty, so it is the head). Others park until a leader hands them an outcome ({@link
 * #hand}) or passes them the lead ({@link #passLead}, which picks the head of the queue). A leader
 * takes its batch from the queue under the lock ({@link #take}, itself first), writes outside the
 * lock, passes the lead on, then hands each member its outcome. No thread, no timer: a caller alone
 * writes at once.
 *
 * <p>Interrupts. A waiting caller cannot withdraw (its work may already be in a leader's write), so
 * it waits on for its outcome and then re-asserts its interrupt.
 *
 * <p>Memory. A member's outcome fields are written before its volatile state and read after it, so
 * the owner sees what the leader wrote; its thread is unparked after. The queue holds one member
 * per caller blocked in {@link #join}, and nothing once they return.
 *
 * @param <M> the member type, carrying the caller's work and, once handed, its outcome
 */
public final class GroupCommit<M extends GroupCommit.Member> {
  private static final int WAITING = 0;
  private static final int LEAD = 1;
  private static final int DONE = 2;
  private static final int ALONE = 3;

  /** One caller's place in the queue; subclasses add its work and its outcome. */
  public abstract static class Member {
    private final Thread thread = Thread.currentThread();
    private volatile int state = WAITING;

    /** True once a leader handed this member its outcome; false: it must act alone. */
    public final boolean done() {
      return state == DONE;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<M> queue = new ArrayDeque<>();
  private boolean leading;

  /**
   * Queues the caller's member (made on the caller's thread) and returns once the caller leads
   * (true: it must {@link #take} a batch and write it) or a leader has handed it an outcome
   * (false).
   */
  public boolean join(M me) {
    boolean lead;
    lock.lock();
    try {
      queue.addLast(me);
      lead = !leading; // when nobody leads the queue is empty, so the caller is its head
      leading = true;
    } finally {
      lock.unlock();
    }
    if (lead) {
      return true;
    }
    Member waiting = me; // private fields are reached through the bound, not the type variable
    boolean interrupted = false;
    while (waiting.state == WAITING) {
      LockSupport.park(waiting);
      if (Thread.interrupted()) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return waiting.state == LEAD;
  }

  /** Runs {@code take} on the queue under its lock: the leader removes its batch, its own first. */
  public <R> R take(Function<ArrayDeque<M>, R> take) {
    lock.lock();
    try {
      return take.apply(queue);
    } finally {
      lock.unlock();
    }
  }

  /** Passes the lead to the head of the queue, or ends leading if nobody waits. */
  public void passLead() {
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

  /**
   * Hands a member of the leader's batch its outcome: {@code done} (its outcome fields are set) or
   * not (it must act alone). Wakes it unless it is the caller.
   */
  public void hand(M handed, boolean done) {
    Member member = handed;
    member.state = done ? DONE : ALONE;
    if (member.thread != Thread.currentThread()) {
      LockSupport.unpark(member.thread);
    }
  }

  /** Callers waiting in the queue now, the leader's batch excluded (for tests). */
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }
}
