package dev.plimsoll.spi;

import dev.plimsoll.JobId;

/**
 * Outcome of an accepted insert.
 *
 * @param id the id of the job that now stands for the request: the new one, or the existing job
 *     with the same owner and idempotency key
 * @param duplicate true when an existing job was returned instead of inserting
 * @param dropped the id of a job evicted by DROP_OLDEST to make room, or {@code null}
 */
public record InsertResult(JobId id, boolean duplicate, JobId dropped) {
  public static InsertResult inserted(JobId id) {
    return new InsertResult(id, false, null);
  }
}
