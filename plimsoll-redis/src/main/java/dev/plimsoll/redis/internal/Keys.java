package dev.plimsoll.redis.internal;

import dev.plimsoll.JobState;
import java.nio.charset.StandardCharsets;

/** Key names for Java-side reads; must match the layout documented in common.lua. */
public final class Keys {
  private final String prefix;

  public Keys(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  public byte[] job(byte[] id) {
    return concat(bytes("j:"), id);
  }

  public byte[] queues() {
    return bytes("queues");
  }

  public byte[] pending(byte[] queue) {
    return concat(bytes("pq:" + queue.length + ":"), queue);
  }

  public byte[] scheduled() {
    return bytes("sched");
  }

  public byte[] running() {
    return bytes("run");
  }

  public byte[] finished(JobState state) {
    return bytes("s:" + state.name());
  }

  public byte[] wakeChannel() {
    return bytes("wake");
  }

  private byte[] bytes(String suffix) {
    return (prefix + suffix).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
