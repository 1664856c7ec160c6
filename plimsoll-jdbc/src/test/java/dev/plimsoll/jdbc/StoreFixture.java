package dev.plimsoll.jdbc;

import dev.plimsoll.JobId;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.SettableClock;
import dev.plimsoll.spi.NewJob;
import dev.plimsoll.spi.StoreContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test helpers: a store context on a settable clock, queue settings per test, and job factories.
 */
final class StoreFixture {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  final SettableClock clock = SettableClock.atFixedStart();
  final Map<String, QueueConfig> queues = new ConcurrentHashMap<>();
  final AtomicInteger wakeUps = new AtomicInteger();
  RetentionPolicy finishedRetention = RetentionPolicy.FINISHED_DEFAULT;
  RetentionPolicy deadRetention = RetentionPolicy.DEAD_DEFAULT;

  StoreContext context() {
    return new StoreContext(
        clock,
        q -> queues.getOrDefault(q, QueueConfig.reject(QueueConfig.DEFAULT_DURABLE_CAPACITY)),
        finishedRetention,
        deadRetention,
        wakeUps::incrementAndGet);
  }

  /** A UUIDv7-shaped id that grows with the clock, then with a sequence. */
  JobId newId() {
    long msb = (clock.millis() << 16) | 0x7000L;
    long lsb = 0x8000000000000000L | SEQUENCE.incrementAndGet();
    return new JobId(msb, lsb);
  }

  NewJob job(String queue, String type) {
    return job(queue, type, 0, null, null, Duration.ZERO);
  }

  NewJob job(String queue, String type, int priority, String owner, String key, Duration delay) {
    Instant now = clock.instant();
    return new NewJob(
        newId(),
        queue,
        type,
        new byte[] {1, 2, 3},
        owner,
        key,
        priority,
        3,
        30_000,
        now,
        now.plus(delay));
  }
}
