package dev.plimsoll.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Drains a stream to its end, keeping at most {@code cap} bytes (the first ones) and counting the
 * rest. Reading continues past the cap so the child never blocks on a full pipe; the discarded
 * bytes are never held. One instance is filled by one thread, then read once {@link #drain}
 * returned.
 */
public final class CappedOutput {
  private static final int CHUNK = 8192;
  private final int cap;
  private byte[] kept = new byte[0];
  private int size;
  private long total;

  public CappedOutput(int cap) {
    if (cap < 0) {
      throw new IllegalArgumentException("cap must be >= 0, was " + cap);
    }
    this.cap = cap;
  }

  /** Reads {@code in} to end of stream. */
  public void drain(InputStream in) throws IOException {
    byte[] chunk = new byte[CHUNK];
    int n;
    while ((n = in.read(chunk)) != -1) {
      append(chunk, n);
    }
  }

  void append(byte[] chunk, int n) {
    total += n;
    int room = cap - size;
    if (room <= 0) {
      return;
    }
    int take = Math.min(room, n);
    if (size + take > kept.length) {
      int grown = (int) Math.min(cap, Math.max((long) kept.length * 2, (long) size + take));
      kept = Arrays.copyOf(kept, Math.max(grown, Math.min(cap, CHUNK)));
    }
    System.arraycopy(chunk, 0, kept, size, take);
    size += take;
  }

  /** The kept bytes, at most the cap. */
  public byte[] bytes() {
    return Arrays.copyOf(kept, size);
  }

  /** Bytes the stream produced in total, kept or not. */
  public long totalBytes() {
    return total;
  }

  public boolean truncated() {
    return total > size;
  }

  /** Bytes of backing storage held now; never more than the cap. */
  public int heldCapacity() {
    return kept.length;
  }
}
