package dev.plimsoll;

/** What a full queue or buffer does with one more item. Overflow is always counted. */
public enum OverflowPolicy {
  /** Refuse the new item with {@link QueueFullException}. The default. */
  REJECT,
  /** Wait up to the configured timeout for space, then refuse. */
  BLOCK,
  /**
   * Evict the oldest pending item to admit the new one; the evicted job is cancelled with reason
   * {@code dropped}. Allowed only where items are marked replayable.
   */
  DROP_OLDEST
}
