package dev.plimsoll.spi;

import dev.plimsoll.JobId;
import dev.plimsoll.JobState;
import java.time.Instant;
import java.util.Objects;

/**
 * The engine's decision about a RUNNING attempt, applied by the store only while {@code token} is
 * still the job's current fencing token.
 *
 * @param id the job
 * @param token the fencing token from its claim
 * @param next SUCCEEDED, SCHEDULED (retry at {@code runAt}), QUEUED (released: the attempt is given
 *     back), DEAD or CANCELLED
 * @param result result bytes for SUCCEEDED (already capped), else null
 * @param error error text or cancellation reason (already capped), else null
 * @param runAt retry time for SCHEDULED, else null
 * @param at the engine clock's time of the decision
 */
public record Completion(
    JobId id, long token, JobState next, byte[] result, String error, Instant runAt, Instant at) {

  public Completion {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(at, "at");
    if (!JobState.RUNNING.canMoveTo(next)) {
      throw new IllegalArgumentException("a completion cannot move RUNNING to " + next);
    }
    if (next == JobState.SCHEDULED && runAt == null) {
      throw new IllegalArgumentException("a retry completion needs runAt");
    }
  }

  public static Completion succeeded(JobId id, long token, byte[] result, Instant at) {
    return new Completion(id, token, JobState.SUCCEEDED, result, null, null, at);
  }

  public static Completion retry(JobId id, long token, String error, Instant runAt, Instant at) {
    return new Completion(id, token, JobState.SCHEDULED, null, error, runAt, at);
  }

  public static Completion dead(JobId id, long token, String error, Instant at) {
    return new Completion(id, token, JobState.DEAD, null, error, null, at);
  }

  public static Completion cancelled(JobId id, long token, String reason, Instant at) {
    return new Completion(id, token, JobState.CANCELLED, null, reason, null, at);
  }

  /** Give the attempt back (shutdown of a durable node): QUEUED, attempts decremented. */
  public static Completion released(JobId id, long token, Instant at) {
    return new Completion(id, token, JobState.QUEUED, null, null, null, at);
  }
}
