package dev.plimsoll;

import java.time.Duration;
import java.time.Instant;

/**
 * An immutable snapshot of a job as its store holds it.
 *
 * @param id time-ordered identity
 * @param queue the queue it was submitted to
 * @param type selects the handler
 * @param payload the submitted bytes (do not modify)
 * @param owner the tenant that submitted it, or {@code null}
 * @param idempotencyKey the caller's de-duplication key, or {@code null}
 * @param priority 0 (lowest) to 9 (highest) within its queue
 * @param state where it is in its lifecycle
 * @param attempts attempts started so far
 * @param maxAttempts attempts allowed in all
 * @param timeout per-attempt timeout
 * @param createdAt when it was accepted
 * @param runAt when it becomes (or became) eligible to run
 * @param updatedAt when its state last changed
 * @param result the handler's result (capped), or {@code null}
 * @param error the last attempt's error or the cancellation reason (capped), or {@code null}
 */
public record Job(
    JobId id,
    String queue,
    String type,
    byte[] payload,
    String owner,
    String idempotencyKey,
    int priority,
    JobState state,
    int attempts,
    int maxAttempts,
    Duration timeout,
    Instant createdAt,
    Instant runAt,
    Instant updatedAt,
    byte[] result,
    String error) {

  @Override
  public String toString() {
    return "Job[" + id + " " + type + "@" + queue + " " + state + " attempts=" + attempts + "]";
  }
}
