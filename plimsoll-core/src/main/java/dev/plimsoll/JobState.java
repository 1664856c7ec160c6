package dev.plimsoll;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a job. Only the transitions listed by {@link #canMoveTo} exist; every store
 * applies them through {@link #checkMove}, so an illegal transition is an exception, not a state.
 *
 * <pre>
 * SCHEDULED ─► QUEUED ─► RUNNING ─► SUCCEEDED
 *     │           │         ├─────► SCHEDULED (failed attempt, attempts left: retry backoff)
 *     │           │         ├─────► QUEUED    (lease lost or released at shutdown)
 *     │           │         ├─────► DEAD      (attempts exhausted or non-retryable)
 *     └───────────┴─────────┴─────► CANCELLED
 * DEAD ─► QUEUED (re-queued from the dead-letter queue)
 * </pre>
 */
public enum JobState {
  /** Waiting for its run-at time (a delayed job or a retry in backoff). */
  SCHEDULED,
  /** Ready to run, waiting for a worker. */
  QUEUED,
  /** Claimed by a worker. */
  RUNNING,
  /** Finished successfully. Terminal. */
  SUCCEEDED,
  /** Attempts exhausted or failed with a non-retryable error. Held in the dead-letter queue. */
  DEAD,
  /** Cancelled by a user, a scope or shutdown, with a reason. Terminal. */
  CANCELLED;

  private Set<JobState> next;

  static {
    SCHEDULED.next = EnumSet.of(QUEUED, CANCELLED);
    QUEUED.next = EnumSet.of(RUNNING, CANCELLED);
    RUNNING.next = EnumSet.of(SUCCEEDED, SCHEDULED, QUEUED, DEAD, CANCELLED);
    SUCCEEDED.next = EnumSet.noneOf(JobState.class);
    DEAD.next = EnumSet.of(QUEUED);
    CANCELLED.next = EnumSet.noneOf(JobState.class);
  }

  /** Whether a job in this state may move to {@code target}. */
  public boolean canMoveTo(JobState target) {
    return next.contains(target);
  }

  /**
   * Returns {@code target} if the move is legal.
   *
   * @throws IllegalTransitionException otherwise
   */
  public JobState checkMove(JobState target) {
    if (!canMoveTo(target)) {
      throw new IllegalTransitionException(this, target);
    }
    return target;
  }

  /** SUCCEEDED and CANCELLED never change again. */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == CANCELLED;
  }

  /** SUCCEEDED, DEAD and CANCELLED: the job no longer waits for or holds a worker. */
  public boolean isFinished() {
    return this == SUCCEEDED || this == DEAD || this == CANCELLED;
  }

  /** SCHEDULED and QUEUED: the job counts against its queue's capacity. */
  public boolean isPending() {
    return this == SCHEDULED || this == QUEUED;
  }
}
