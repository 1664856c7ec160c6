package dev.plimsoll.spi;

import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import dev.plimsoll.JobPage;
import dev.plimsoll.JobQuery;
import dev.plimsoll.QueueFullException;
import dev.plimsoll.StoreUnavailableException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where jobs live. Implementations are thread-safe; every state change goes through {@link
 * dev.plimsoll.JobState#checkMove}. Any failure to reach the backing system is reported as {@link
 * StoreUnavailableException} and leaves the store unchanged.
 */
public interface JobStore extends AutoCloseable {

  /** Called once by the engine before any other method: create schema, connect, start. */
  void open(StoreContext context);

  /** True when accepted jobs survive a crash of this process. */
  boolean durable();

  /** True when claims carry leases that expire without heartbeats (multi-node stores). */
  boolean leases();

  /**
   * Inserts jobs atomically: all are accepted or none. Applies per-queue capacity (counting
   * SCHEDULED + QUEUED) with the queue's policy: REJECT and BLOCK throw {@link QueueFullException}
   * (the engine waits and retries for BLOCK); DROP_OLDEST evicts the oldest pending job of that
   * queue to CANCELLED with reason {@code dropped}. A job whose owner and idempotency key match a
   * job still held returns that job's id with {@code duplicate = true}.
   *
   * @return one result per job, in order
   */
  List<InsertResult> insert(List<NewJob> jobs);

  /** Moves up to {@code request.max()} QUEUED jobs to RUNNING; see {@link ClaimRequest}. */
  List<ClaimedJob> claim(ClaimRequest request);

  /**
   * Applies decisions about running attempts. A completion whose token is stale, or whose job is no
   * longer RUNNING, changes nothing.
   *
   * @return for each completion, whether it was applied
   */
  boolean[] complete(List<Completion> completions);

  /**
   * Extends the leases of running attempts to {@code until}, and reports which were lost and which
   * were asked to cancel. Stores without leases only report cancellations.
   */
  HeartbeatResult heartbeat(List<LeaseRenewal> running, Instant until);

  /**
   * Moves SCHEDULED jobs whose run-at is at or before {@code now} to QUEUED, at most {@code max}.
   */
  int promoteDue(Instant now, int max);

  /** The earliest run-at of a SCHEDULED job, if any (the scheduler sleeps until then). */
  Optional<Instant> nextRunAt();

  /**
   * Returns RUNNING jobs whose lease ended before {@code now} to QUEUED, the lost attempt counted;
   * one whose attempts are exhausted goes to DEAD with error {@code lease expired}. No-op for
   * stores without leases.
   *
   * @return how many were recovered
   */
  int recoverExpiredLeases(Instant now, int max);

  Optional<Job> get(JobId id);

  /** Jobs matching {@code query}, newest first. */
  JobPage list(JobQuery query);

  /**
   * Cancels a pending job (to CANCELLED with {@code reason}) or requests cancellation of a running
   * one (its worker completes it as CANCELLED).
   */
  CancelResult cancel(JobId id, String reason, Instant now);

  /**
   * Cancels up to {@code max} pending (SCHEDULED or QUEUED) jobs with {@code reason}, for the
   * shutdown of a store that is not durable, and returns them as they now are (CANCELLED). The
   * default pages through {@link #list}; stores should override it with something cheaper.
   */
  default List<Job> cancelPending(String reason, Instant now, int max) {
    List<Job> cancelled = new java.util.ArrayList<>();
    for (dev.plimsoll.JobState state :
        new dev.plimsoll.JobState[] {
          dev.plimsoll.JobState.QUEUED, dev.plimsoll.JobState.SCHEDULED
        }) {
      JobPage page = list(JobQuery.inState(state, Math.min(max, JobQuery.MAX_LIMIT)));
      for (Job job : page.jobs()) {
        if (cancelled.size() < max && cancel(job.id(), reason, now) == CancelResult.CANCELLED) {
          get(job.id()).ifPresent(cancelled::add);
        }
      }
    }
    return cancelled;
  }

  /** Moves a DEAD job back to QUEUED with attempts reset. False if it is not DEAD. */
  boolean requeueDead(JobId id, Instant now);

  /** Deletes a DEAD job. False if it is not DEAD. */
  boolean deleteDead(JobId id);

  /** Deletes every DEAD job, returning how many. */
  long purgeDead();

  /**
   * Applies retention: removes finished jobs older than their policy's age, and beyond its count
   * (oldest first), at most {@code batch} rows per call. Stores may also enforce the count bound
   * eagerly at completion.
   */
  PurgeResult purge(Instant now, int batch);

  StoreCounts counts();

  /** Releases connections and threads. Idempotent. */
  @Override
  void close();
}
