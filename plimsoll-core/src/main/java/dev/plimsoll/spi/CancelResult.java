package dev.plimsoll.spi;

/** What a cancel request did. */
public enum CancelResult {
  /** The job was pending and is now CANCELLED. */
  CANCELLED,
  /** The job is running; cancellation was requested and its worker will be interrupted. */
  REQUESTED,
  /** The job had already finished; nothing changed. */
  ALREADY_FINISHED,
  /** No such job. */
  NOT_FOUND
}
