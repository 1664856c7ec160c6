package dev.plimsoll;

/** The answer to a remote worker's heartbeat. */
public enum LeaseStatus {
  /** The lease was extended; carry on. */
  RENEWED,
  /**
   * The lease was extended, but the job was asked to cancel: stop; the next report ends it
   * CANCELLED.
   */
  CANCEL_REQUESTED,
  /** The token is stale or the job is no longer running under it: stop, the outcome is ignored. */
  LOST
}
