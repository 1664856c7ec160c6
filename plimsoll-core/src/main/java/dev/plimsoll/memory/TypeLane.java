package dev.plimsoll.memory;

import java.util.ArrayDeque;

/**
 * The QUEUED jobs of one type in one queue: a FIFO per priority (0–9) and a bit mask of the
 * non-empty ones, so the best job is found in O(1). Guarded by the store's lock.
 */
final class TypeLane {
  static final int PRIORITIES = 10;

  final String type;

  @SuppressWarnings("unchecked")
  private final ArrayDeque<MemoryJob>[] byPriority = new ArrayDeque[PRIORITIES];

  private int nonEmpty;
  private int size;

  TypeLane(String type) {
    this.type = type;
  }

  void add(MemoryJob job) {
    ArrayDeque<MemoryJob> fifo = byPriority[job.priority];
    if (fifo == null) {
      fifo = new ArrayDeque<>();
      byPriority[job.priority] = fifo;
    }
    fifo.addLast(job);
    nonEmpty |= 1 << job.priority;
    size++;
  }

  /** The next job to run (highest priority, oldest), or null. */
  MemoryJob peek() {
    if (nonEmpty == 0) {
      return null;
    }
    return byPriority[31 - Integer.numberOfLeadingZeros(nonEmpty)].peekFirst();
  }

  MemoryJob poll() {
    if (nonEmpty == 0) {
      return null;
    }
    int p = 31 - Integer.numberOfLeadingZeros(nonEmpty);
    MemoryJob job = byPriority[p].pollFirst();
    afterRemoval(p);
    return job;
  }

  boolean remove(MemoryJob job) {
    ArrayDeque<MemoryJob> fifo = byPriority[job.priority];
    if (fifo == null || !fifo.remove(job)) {
      return false;
    }
    afterRemoval(job.priority);
    return true;
  }

  /** The oldest job of any priority, or null. */
  MemoryJob oldest() {
    MemoryJob best = null;
    for (ArrayDeque<MemoryJob> fifo : byPriority) {
      MemoryJob head = fifo == null ? null : fifo.peekFirst();
      if (head != null && (best == null || head.seq < best.seq)) {
        best = head;
      }
    }
    return best;
  }

  int size() {
    return size;
  }

  private void afterRemoval(int priority) {
    size--;
    if (byPriority[priority].isEmpty()) {
      nonEmpty &= ~(1 << priority);
    }
  }
}
