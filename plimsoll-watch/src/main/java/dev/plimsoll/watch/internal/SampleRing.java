package dev.plimsoll.watch.internal;

import dev.plimsoll.watch.Trend;

/**
 * A fixed-capacity ring of (time, value) samples: when full, a new sample overwrites the oldest.
 * Synchronized: one writer (the sampler or the GC notification thread) and readers that take a
 * trend or the latest value now and then.
 */
public final class SampleRing {
  private final long[] millis;
  private final double[] values;
  private int next;
  private int size;

  public SampleRing(int capacity) {
    if (capacity < 2) {
      throw new IllegalArgumentException("ring capacity must be >= 2, was " + capacity);
    }
    this.millis = new long[capacity];
    this.values = new double[capacity];
  }

  public synchronized void add(long atMillis, double value) {
    millis[next] = atMillis;
    values[next] = value;
    next = (next + 1) % millis.length;
    if (size < millis.length) {
      size++;
    }
  }

  public synchronized int size() {
    return size;
  }

  public int capacity() {
    return millis.length;
  }

  /** The newest value, or NaN when empty. */
  public synchronized double latest() {
    return size == 0 ? Double.NaN : values[(next - 1 + millis.length) % millis.length];
  }

  /** The trend of the samples taken at or after {@code sinceMillis}. */
  public synchronized Trend trendSince(long sinceMillis) {
    long[] t = new long[size];
    double[] v = new double[size];
    int n = 0;
    int start = (next - size + millis.length) % millis.length;
    for (int i = 0; i < size; i++) {
      int at = (start + i) % millis.length;
      if (millis[at] >= sinceMillis) {
        t[n] = millis[at];
        v[n] = values[at];
        n++;
      }
    }
    return Trend.fit(t, v, n);
  }
}
