package dev.plimsoll.redis.internal;

import dev.plimsoll.JobId;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Job ids as Redis sees them: the 16 raw bytes of the UUID, big-endian. Byte order equals {@link
 * JobId} order, so lexicographic sorted sets list jobs by age, and each id costs 16 bytes instead
 * of 36.
 */
public final class Ids {
  private Ids() {}

  public static byte[] bytes(JobId id) {
    return ByteBuffer.allocate(16).putLong(id.msb()).putLong(id.lsb()).array();
  }

  public static JobId id(byte[] bytes) {
    if (bytes.length != 16) {
      throw new IllegalStateException("a job id in Redis must be 16 bytes, got " + bytes.length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    return new JobId(b.getLong(), b.getLong());
  }

  /** Unsigned byte-wise comparison, the order Redis uses for members of equal score. */
  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }
}
