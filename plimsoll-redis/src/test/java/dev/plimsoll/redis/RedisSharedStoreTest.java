package dev.plimsoll.redis;

import static dev.plimsoll.redis.TestJobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.JobId;
import dev.plimsoll.JobState;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.SettableClock;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.NewJob;
import dev.plimsoll.spi.StoreContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several stores (as several nodes would hold) on one Redis and one key prefix. */
class RedisSharedStoreTest {
  @RegisterExtension static final RedisPrefix KEYS = new RedisPrefix(RedisSharedStoreTest.class);
  private static final String PREFIX = KEYS.prefix;
  private final SettableClock clock = SettableClock.atFixedStart();
  private final List<RedisJobStore> stores = new ArrayList<>();

  @AfterEach
  void closeStores() {
    stores.forEach(RedisJobStore::close);
  }

  private RedisJobStore node(Runnable workAvailable) {
    RedisJobStore s = RedisJobStore.builder().uri(RedisTestSupport.URI).prefix(PREFIX).build();
    s.open(
        new StoreContext(
            clock,
            q -> QueueConfig.reject(QueueConfig.DEFAULT_DURABLE_CAPACITY),
            RetentionPolicy.FINISHED_DEFAULT,
            RetentionPolicy.DEAD_DEFAULT,
            workAvailable));
    stores.add(s);
    return s;
  }

  private static ClaimRequest claim(String node, int max, SettableClock clock) {
    return new ClaimRequest(max, Set.of("t"), node, clock.instant(), Duration.ofSeconds(30));
  }

  @Test
  void threeStoresClaimingConcurrentlyClaimEachOf20000JobsExactlyOnce() throws Exception {
    List<RedisJobStore> nodes = List.of(node(() -> {}), node(() -> {}), node(() -> {}));
    for (int i = 0; i < 20; i++) {
      List<NewJob> batch = new ArrayList<>();
      for (int j = 0; j < 1_000; j++) {
        batch.add(job("q", "t", clock.instant()));
      }
      nodes.get(i % 3).insert(batch);
    }
    Set<JobId> claimed = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 6; w++) {
        RedisJobStore node = nodes.get(w % 3);
        String name = "node-" + w;
        workers.add(
            pool.submit(
                () -> {
                  List<ClaimedJob> got;
                  while (!(got = node.claim(claim(name, 100, clock))).isEmpty()) {
                    List<Completion> done = new ArrayList<>();
                    for (ClaimedJob c : got) {
                      if (!claimed.add(c.job().id())) {
                        duplicates.incrementAndGet();
                      }
                      done.add(
                          Completion.succeeded(c.job().id(), c.token(), null, clock.instant()));
                    }
                    node.complete(done);
                  }
                  return null;
                }));
      }
      for (Future<?> f : workers) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(duplicates).hasValue(0);
    assertThat(claimed).hasSize(20_000);
    assertThat(nodes.get(0).counts().count(JobState.SUCCEEDED))
        .as("count bound of the default retention")
        .isEqualTo(RetentionPolicy.FINISHED_DEFAULT.maxCount());
    assertThat(nodes.get(0).counts().pendingByQueue()).isEmpty();
  }

  @Test
  void theJobsOfANodeThatDiedMidRunAreRecoveredByAnotherOnceTheirLeasesExpire() {
    RedisJobStore dying = node(() -> {});
    RedisJobStore survivor = node(() -> {});
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      jobs.add(job("q", "t", clock.instant()));
    }
    dying.insert(jobs);
    Set<JobId> held =
        dying.claim(claim("dying", 50, clock)).stream()
            .map(c -> c.job().id())
            .collect(Collectors.toSet());
    dying.close();

    assertThat(survivor.counts().count(JobState.RUNNING)).isEqualTo(50);
    assertThat(survivor.recoverExpiredLeases(clock.instant(), 100)).isZero();
    clock.advance(Duration.ofSeconds(31));
    assertThat(survivor.recoverExpiredLeases(clock.instant(), 100)).isEqualTo(50);

    List<ClaimedJob> again = survivor.claim(claim("survivor", 100, clock));
    assertThat(again).extracting(c -> c.job().id()).containsExactlyInAnyOrderElementsOf(held);
    assertThat(again).allSatisfy(c -> assertThat(c.job().attempts()).isEqualTo(2));
  }

  @Test
  void anInsertOnOneNodeWakesTheIdleWorkersOfAnother() {
    AtomicInteger woken = new AtomicInteger();
    RedisJobStore producer = node(() -> {});
    node(woken::incrementAndGet);
    int before = woken.get();

    producer.insert(List.of(job("q", "t", clock.instant())));

    await().atMost(Duration.ofSeconds(5)).until(() -> woken.get() > before);
  }
}
