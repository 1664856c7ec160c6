package dev.plimsoll;

import java.util.UUID;

/**
 * A job's identity: a time-ordered UUID (version 7). Ids created later compare greater, so stores
 * can order by id and cursors can page by it.
 *
 * @param msb the most significant 64 bits (48-bit Unix milliseconds, version, 12-bit sequence)
 * @param lsb the least significant 64 bits (variant and 62 random bits)
 */
public record JobId(long msb, long lsb) implements Comparable<JobId> {

  /** Parses the canonical 36-character form; throws {@link InvalidJobException} otherwise. */
  public static JobId parse(String text) {
    if (text == null || text.length() != 36) {
      throw new InvalidJobException("id", "must be a 36-character UUID, got " + describe(text));
    }
    try {
      UUID uuid = UUID.fromString(text);
      return new JobId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException("id", "must be a UUID, got " + describe(text));
    }
  }

  private static String describe(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() > 40 ? "'" + text.substring(0, 40) + "…'" : "'" + text + "'";
  }

  /** The Unix time in milliseconds at which this id was generated. */
  public long timestampMillis() {
    return msb >>> 16;
  }

  @Override
  public int compareTo(JobId other) {
    int c = Long.compareUnsigned(msb, other.msb);
    return c != 0 ? c : Long.compareUnsigned(lsb, other.lsb);
  }

  @Override
  public String toString() {
    return new UUID(msb, lsb).toString();
  }
}
