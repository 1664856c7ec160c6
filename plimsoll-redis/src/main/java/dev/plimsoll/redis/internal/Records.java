package dev.plimsoll.redis.internal;

import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import dev.plimsoll.JobState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Decodes a job record (the {@code j:<id>} hash; field names are listed in common.lua). */
public final class Records {
  private Records() {}

  /** From HGETALL pairs as a flat list starting at {@code from}, {@code count} elements long. */
  public static Map<String, byte[]> fromFlat(List<Object> flat, int from, int count) {
    Map<String, byte[]> m = new HashMap<>(count);
    for (int i = from; i < from + count; i += 2) {
      m.put(new String((byte[]) flat.get(i), StandardCharsets.UTF_8), (byte[]) flat.get(i + 1));
    }
    return m;
  }

  public static Map<String, byte[]> fromMap(Map<byte[], byte[]> raw) {
    Map<String, byte[]> m = new HashMap<>(raw.size());
    raw.forEach((k, v) -> m.put(new String(k, StandardCharsets.UTF_8), v));
    return m;
  }

  public static Job job(JobId id, Map<String, byte[]> r) {
    return new Job(
        id,
        text(r, "q"),
        text(r, "t"),
        r.getOrDefault("p", new byte[0]),
        text(r, "o"),
        text(r, "k"),
        (int) number(r, "pr"),
        JobState.valueOf(text(r, "s")),
        (int) number(r, "a"),
        (int) number(r, "m"),
        Duration.ofMillis(number(r, "to")),
        Instant.ofEpochMilli(number(r, "c")),
        Instant.ofEpochMilli(number(r, "r")),
        Instant.ofEpochMilli(number(r, "u")),
        r.get("res"),
        text(r, "err"));
  }

  public static long number(Map<String, byte[]> r, String field) {
    String t = text(r, field);
    return t == null ? 0 : Long.parseLong(t);
  }

  public static String text(Map<String, byte[]> r, String field) {
    byte[] v = r.get(field);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }
}
