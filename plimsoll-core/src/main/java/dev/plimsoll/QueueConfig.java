package dev.plimsoll;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of one queue.
 *
 * @param capacity most pending (scheduled + queued) jobs it holds
 * @param overflow what happens to a job submitted when it is full
 * @param blockTimeout how long {@link OverflowPolicy#BLOCK} waits for space
 * @param replayable the jobs can be re-created by their producer, so dropping is acceptable
 */
public record QueueConfig(
    long capacity, OverflowPolicy overflow, Duration blockTimeout, boolean replayable) {

  /** Default capacity of an in-memory queue (incident 000). */
  public static final long DEFAULT_MEMORY_CAPACITY = 10_000;

  /** Default capacity of a durable queue: disk, not heap. */
  public static final long DEFAULT_DURABLE_CAPACITY = 1_000_000;

  public QueueConfig {
    Objects.requireNonNull(overflow, "overflow");
    Objects.requireNonNull(blockTimeout, "blockTimeout");
    if (capacity < 1) {
      throw new IllegalArgumentException("queue capacity must be >= 1, got " + capacity);
    }
    if (blockTimeout.isNegative()) {
      throw new IllegalArgumentException("queue blockTimeout must be >= 0, got " + blockTimeout);
    }
    if (overflow == OverflowPolicy.DROP_OLDEST && !replayable) {
      throw new IllegalArgumentException(
          "queue overflow DROP_OLDEST is allowed only for replayable queues;"
              + " use QueueConfig.dropOldest(capacity) to mark the queue replayable");
    }
  }

  /** REJECT when full. */
  public static QueueConfig reject(long capacity) {
    return new QueueConfig(capacity, OverflowPolicy.REJECT, Duration.ZERO, false);
  }

  /** Wait up to {@code timeout} for space, then reject. */
  public static QueueConfig block(long capacity, Duration timeout) {
    return new QueueConfig(capacity, OverflowPolicy.BLOCK, timeout, false);
  }

  /** A replayable queue that evicts its oldest pending job when full. */
  public static QueueConfig dropOldest(long capacity) {
    return new QueueConfig(capacity, OverflowPolicy.DROP_OLDEST, Duration.ZERO, true);
  }
}
