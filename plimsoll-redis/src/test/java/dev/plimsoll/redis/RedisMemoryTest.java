package dev.plimsoll.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.SettableClock;
import dev.plimsoll.spi.NewJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Redis memory held per pending job, summed by MEMORY USAGE over every key of the store. */
class RedisMemoryTest {
  private static final Logger log = LoggerFactory.getLogger(RedisMemoryTest.class);
  private static final String PREFIX = RedisTestSupport.prefixFor(RedisMemoryTest.class);
  private static final int JOBS = 10_000;

  /** Bound asserted for a 16-byte payload; docs/stores.md quotes the measured figure. */
  private static final long MAX_BYTES_PER_PENDING_JOB = 600;

  private static RedisTestSupport redis;

  @BeforeAll
  static void connect() {
    redis = RedisTestSupport.connectOrSkip();
    redis.deleteKeys(PREFIX);
  }

  @AfterAll
  static void disconnect() {
    if (redis != null) {
      redis.deleteKeys(PREFIX);
      redis.close();
    }
  }

  @Test
  void aPendingJobWithA16BytePayloadHoldsAtMost600BytesOfRedisMemory() {
    SettableClock clock = SettableClock.atFixedStart();
    try (RedisJobStore store =
        RedisJobStore.builder().uri(RedisTestSupport.URI).prefix(PREFIX).build()) {
      store.open(RedisTestSupport.context(clock));
      Instant now = clock.instant();
      for (int done = 0; done < JOBS; done += 1_000) {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
          batch.add(
              new NewJob(
                  TestJobs.newId(now),
                  "default",
                  "email",
                  new byte[16],
                  null,
                  null,
                  0,
                  3,
                  30_000,
                  now,
                  now));
        }
        store.insert(batch);
      }
      long bytes = 0;
      long records = 0;
      String recordPrefix = PREFIX + "j:";
      for (byte[] key : redis.keys(PREFIX)) {
        long used = redis.redis.memoryUsage(key);
        bytes += used;
        if (new String(key, java.nio.charset.StandardCharsets.ISO_8859_1)
            .startsWith(recordPrefix)) {
          records += used;
        }
      }
      long perJob = bytes / JOBS;
      log.info(
          "Redis memory per pending job (16-byte payload, key prefix of {} bytes): {} bytes,"
              + " of which {} the record hash and {} the indexes",
          PREFIX.length(),
          perJob,
          records / JOBS,
          (bytes - records) / JOBS);
      assertThat(perJob).isLessThanOrEqualTo(MAX_BYTES_PER_PENDING_JOB);
    }
  }
}
