package dev.plimsoll;

import java.time.Instant;

/**
 * One lifecycle event.
 *
 * @param kind what happened
 * @param id the job (null for REJECTED, where no job was created)
 * @param type the job's type
 * @param queue the job's queue
 * @param attempt the attempt it concerns (0 before the first)
 * @param detail the error, reason or limit, or null
 * @param at the engine clock's time
 */
public record JobEvent(
    Kind kind, JobId id, String type, String queue, int attempt, String detail, Instant at) {

  public enum Kind {
    SUBMITTED,
    REJECTED,
    DROPPED,
    STARTED,
    SUCCEEDED,
    /** An attempt failed and a retry is scheduled. */
    FAILED,
    DEAD,
    CANCELLED,
    /** An attempt ran past its timeout and did not stop when interrupted. */
    STUCK
  }
}
