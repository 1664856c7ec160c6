package dev.plimsoll;

/** What shutdown does with work that has not started. */
public enum ShutdownMode {
  /** Keep running queued work until the grace period ends; cancel what is left then. */
  DRAIN,
  /**
   * Cancel queued in-memory work at once (reason {@code shutdown}); running work gets the grace.
   */
  CANCEL_PENDING
}
