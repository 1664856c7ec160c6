package dev.plimsoll.redis;

import static dev.plimsoll.redis.TestJobs.claim;
import static dev.plimsoll.redis.TestJobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.JobState;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.SettableClock;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.InsertResult;
import dev.plimsoll.spi.NewJob;
import dev.plimsoll.spi.StoreContext;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records of finished jobs expire by Redis TTL (real time), and nothing that points at them stays.
 */
class RedisExpiryTest {
  @RegisterExtension static final RedisPrefix KEYS = new RedisPrefix(RedisExpiryTest.class);
  private static final String PREFIX = KEYS.prefix;
  private static final Duration TTL = Duration.ofSeconds(1);
  private static final int JOBS = Integer.getInteger("plimsoll.redis.expiryJobs", 100_000);
  private static final int BATCH = 1_000;

  /** Entries of the SUCCEEDED index whose record no longer exists, counted atomically in Redis. */
  private static final String ORPHANS =
      "local n = 0 for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do"
          + " if redis.call('EXISTS', ARGV[1] .. id) == 0 then n = n + 1 end end return n";

  private RedisJobStore store;

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private RedisJobStore open(Clock clock) {
    StoreContext context =
        new StoreContext(
            clock,
            q -> QueueConfig.reject(QueueConfig.DEFAULT_DURABLE_CAPACITY),
            new RetentionPolicy(Duration.ofHours(1), 10_000_000),
            RetentionPolicy.DEAD_DEFAULT,
            () -> {});
    store =
        RedisJobStore.builder().uri(RedisTestSupport.URI).prefix(PREFIX).finishedTtl(TTL).build();
    store.open(context);
    return store;
  }

  @Test
  void aFinishedRecordExpiresTogetherWithItsIdempotencyKeyAndItsIndexAndTheKeyCanBeUsedAgain() {
    SettableClock clock = SettableClock.atFixedStart();
    RedisJobStore s = open(clock);
    Instant now = clock.instant();
    NewJob keyed = job("q", "t", now, now, 0, "tenant", "order-1");
    s.insert(List.of(keyed));
    ClaimedJob c = s.claim(claim(1, now, "t")).get(0);
    s.complete(List.of(Completion.succeeded(keyed.id(), c.token(), null, now)));
    assertThat(KEYS.redis().keyCount(PREFIX))
        .as("record, idempotency key, finished index")
        .isEqualTo(3);
    assertThat(KEYS.redis().keys(PREFIX))
        .allSatisfy(k -> assertThat(KEYS.redis().redis.pttl(k)).isPositive());

    await().atMost(Duration.ofSeconds(10)).until(() -> KEYS.redis().keyCount(PREFIX) == 0);

    assertThat(s.get(keyed.id())).isEmpty();
    assertThat(s.counts().count(JobState.SUCCEEDED)).isZero();
    NewJob again = job("q", "t", now, now, 0, "tenant", "order-1");
    assertThat(s.insert(List.of(again))).containsExactly(InsertResult.inserted(again.id()));
  }

  @Test
  void after100000JobsWithAShortTtlNoKeyOrIndexEntryOutlivesItsJob() {
    RedisJobStore s = open(Clock.systemUTC());
    int done = 0;
    while (done < JOBS) {
      Instant now = Instant.now();
      List<NewJob> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        batch.add(job("q", "t", now));
      }
      s.insert(batch);
      List<ClaimedJob> claimed = s.claim(claim(BATCH, now, "t"));
      List<Completion> completions = new ArrayList<>(claimed.size());
      for (ClaimedJob c : claimed) {
        completions.add(Completion.succeeded(c.job().id(), c.token(), null, Instant.now()));
      }
      boolean[] applied = s.complete(completions);
      for (boolean a : applied) {
        assertThat(a).isTrue();
      }
      done += claimed.size();
    }
    Long orphans =
        KEYS.redis()
            .redis
            .eval(
                ORPHANS,
                ScriptOutputType.INTEGER,
                new byte[][] {RedisTestSupport.bytes(PREFIX + "s:SUCCEEDED")},
                RedisTestSupport.bytes(PREFIX + "j:"));
    assertThat(orphans)
        .as("index entries whose record expired are trimmed while jobs keep finishing")
        .isLessThanOrEqualTo(3L * BATCH);

    await()
        .atMost(TTL.plusSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> KEYS.redis().keyCount(PREFIX) == 0);
    assertThat(s.counts().total()).isZero();
  }
}
