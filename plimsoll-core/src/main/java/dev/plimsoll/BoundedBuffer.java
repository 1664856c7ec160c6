package dev.plimsoll;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A named FIFO with a hard capacity and a stated overflow policy, for the internal queues of your
 * own code (incident 002: per-connection send queues that grew without limit). Every refusal and
 * eviction is counted; create it through {@link JobEngine#newBuffer} to have the counters exported
 * with the engine's stats and meters.
 *
 * <p>Overflow: {@code REJECT} refuses ({@link #put} throws, {@link #offer} returns false); {@code
 * BLOCK} waits up to the timeout for space, then refuses; {@code DROP_OLDEST} evicts the oldest
 * item (handed to the drop callback) and is allowed only for buffers marked replayable, because
 * dropping data that cannot be re-created is a silent loss.
 *
 * <p>Thread-safe: one lock, two conditions (not empty, not full).
 */
public final class BoundedBuffer<T> implements AutoCloseable {

  /**
   * @param capacity most items held, 1 or more
   * @param overflow policy when full
   * @param blockTimeout how long BLOCK waits for space
   * @param replayable items can be re-created by their producer, so DROP_OLDEST is allowed
   */
  public record Config(
      int capacity, OverflowPolicy overflow, Duration blockTimeout, boolean replayable) {
    public Config {
      Objects.requireNonNull(overflow, "overflow");
      Objects.requireNonNull(blockTimeout, "blockTimeout");
      if (capacity < 1) {
        throw new IllegalArgumentException("buffer capacity must be >= 1, got " + capacity);
      }
      if (overflow == OverflowPolicy.DROP_OLDEST && !replayable) {
        throw new IllegalArgumentException(
            "buffer overflow DROP_OLDEST is allowed only for replayable data;"
                + " use Config.dropOldest(capacity) to declare it replayable");
      }
    }

    public static Config reject(int capacity) {
      return new Config(capacity, OverflowPolicy.REJECT, Duration.ZERO, false);
    }

    public static Config block(int capacity, Duration timeout) {
      return new Config(capacity, OverflowPolicy.BLOCK, timeout, false);
    }

    public static Config dropOldest(int capacity) {
      return new Config(capacity, OverflowPolicy.DROP_OLDEST, Duration.ZERO, true);
    }
  }

  private final String name;
  private final Config config;
  private final ArrayDeque<T> items = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final Consumer<? super T> onDrop;
  private int peak;
  private boolean closed;

  /** A standalone buffer (not exported by an engine). */
  public BoundedBuffer(String name, Config config) {
    this(name, config, item -> {});
  }

  /**
   * A standalone buffer that hands every item evicted by DROP_OLDEST to {@code onDrop} (called
   * outside the lock).
   */
  public BoundedBuffer(String name, Config config, Consumer<? super T> onDrop) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("buffer name must not be blank");
    }
    this.name = name;
    this.config = Objects.requireNonNull(config, "config");
    this.onDrop = Objects.requireNonNull(onDrop, "onDrop");
  }

  public String name() {
    return name;
  }

  public Config config() {
    return config;
  }

  /**
   * Adds {@code item}, or refuses it.
   *
   * @throws CapacityExceededException the buffer is full and its policy refused the item
   * @throws EngineClosedException the buffer is closed
   */
  public void put(T item) {
    if (!offer(item)) {
      throw new CapacityExceededException("buffer '" + name + "'", config.capacity());
    }
  }

  /**
   * Adds {@code item} if the policy admits it.
   *
   * @return false if it was refused (counted as rejected)
   * @throws EngineClosedException the buffer is closed
   */
  public boolean offer(T item) {
    Objects.requireNonNull(item, "item");
    T evicted = null;
    lock.lock();
    try {
      checkOpen();
      if (items.size() >= config.capacity()) {
        switch (config.overflow()) {
          case REJECT -> {
            rejected.increment();
            return false;
          }
          case BLOCK -> {
            if (!awaitSpace()) {
              rejected.increment();
              return false;
            }
          }
          case DROP_OLDEST -> {
            evicted = items.pollFirst();
            dropped.increment();
          }
        }
      }
      items.addLast(item);
      accepted.increment();
      peak = Math.max(peak, items.size());
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    if (evicted != null) {
      onDrop.accept(evicted);
    }
    return true;
  }

  private boolean awaitSpace() {
    long nanos = config.blockTimeout().toNanos();
    try {
      while (items.size() >= config.capacity()) {
        if (nanos <= 0) {
          return false;
        }
        nanos = notFull.awaitNanos(nanos);
        checkOpen();
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The oldest item, or null if empty. */
  public T poll() {
    lock.lock();
    try {
      return takeFirst();
    } finally {
      lock.unlock();
    }
  }

  /** The oldest item, waiting up to {@code timeout}; null if none came or the buffer closed. */
  public T poll(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (items.isEmpty() && !closed) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      return takeFirst();
    } finally {
      lock.unlock();
    }
  }

  /** Removes the oldest item, if any, and wakes one blocked producer. Call with the lock held. */
  private T takeFirst() {
    T item = items.pollFirst();
    if (item != null) {
      notFull.signal();
    }
    return item;
  }

  /** Moves up to {@code max} items into {@code sink}, oldest first; returns how many. */
  public int drainTo(Collection<? super T> sink, int max) {
    lock.lock();
    try {
      int n = 0;
      while (n < max && !items.isEmpty()) {
        sink.add(items.pollFirst());
        n++;
      }
      if (n > 0) {
        notFull.signalAll();
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** Removes one specific item (by identity or equals); true if it was held. */
  public boolean remove(T item) {
    lock.lock();
    try {
      boolean removed = items.remove(item);
      if (removed) {
        notFull.signal();
      }
      return removed;
    } finally {
      lock.unlock();
    }
  }

  public int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  public BufferStats stats() {
    lock.lock();
    try {
      return new BufferStats(
          name,
          config.capacity(),
          items.size(),
          peak,
          accepted.sum(),
          rejected.sum(),
          dropped.sum());
    } finally {
      lock.unlock();
    }
  }

  /** Refuses further items, wakes blocked producers and consumers. Held items stay pollable. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      notFull.signalAll();
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new EngineClosedException("buffer '" + name + "' is closed");
    }
  }
}
