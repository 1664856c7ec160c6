package dev.plimsoll.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds the ARGV of a script call; every value is sent as bytes. */
public final class Args {
  private final List<byte[]> values = new ArrayList<>();

  public Args add(byte[] value) {
    values.add(value == null ? new byte[0] : value);
    return this;
  }

  public Args add(String value) {
    return add(value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
  }

  public Args add(long value) {
    return add(Long.toString(value));
  }

  public int size() {
    return values.size();
  }

  byte[][] toArray() {
    return values.toArray(new byte[0][]);
  }

  public static String text(Object reply) {
    return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
