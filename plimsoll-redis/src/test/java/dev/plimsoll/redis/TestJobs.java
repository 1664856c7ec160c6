package dev.plimsoll.redis;

import dev.plimsoll.JobId;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.NewJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Builders of store calls for tests. */
final class TestJobs {
  private static final AtomicLong LAST = new AtomicLong();

  private TestJobs() {}

  /** A UUIDv7-shaped id, strictly increasing within this JVM. */
  static JobId newId(Instant at) {
    long candidate = at.toEpochMilli() << 12;
    long v = LAST.updateAndGet(prev -> Math.max(prev + 1, candidate));
    long msb = ((v >>> 12) << 16) | 0x7000L | (v & 0xFFFL);
    long lsb = 0x8000000000000000L | (ThreadLocalRandom.current().nextLong() >>> 2);
    return new JobId(msb, lsb);
  }

  static NewJob job(String queue, String type, Instant now) {
    return job(queue, type, now, now, 0, null, null);
  }

  static NewJob job(
      String queue,
      String type,
      Instant now,
      Instant runAt,
      int priority,
      String owner,
      String key) {
    return new NewJob(
        newId(now),
        queue,
        type,
        ("payload-" + type).getBytes(StandardCharsets.UTF_8),
        owner,
        key,
        priority,
        3,
        30_000,
        now,
        runAt);
  }

  static ClaimRequest claim(int max, Instant now, String... types) {
    return new ClaimRequest(max, Set.of(types), "node-a", now, Duration.ofSeconds(30));
  }
}
