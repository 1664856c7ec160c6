package dev.plimsoll;

/**
 * Counters of one {@link BoundedBuffer}.
 *
 * @param name the buffer's name
 * @param capacity its bound
 * @param size items held now
 * @param peakSize most items ever held
 * @param accepted items admitted
 * @param rejected items refused (REJECT, or BLOCK past its timeout)
 * @param dropped items evicted by DROP_OLDEST
 */
public record BufferStats(
    String name,
    int capacity,
    int size,
    int peakSize,
    long accepted,
    long rejected,
    long dropped) {}
