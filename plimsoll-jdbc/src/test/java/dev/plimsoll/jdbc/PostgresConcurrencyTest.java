package dev.plimsoll.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.JobId;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.QueueFullException;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.NewJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several stores (nodes) on one PostgreSQL schema, hammered from several threads each. */
class PostgresConcurrencyTest {
  @RegisterExtension static final PgSchema PG = new PgSchema(PostgresConcurrencyTest.class);
  static final String SCHEMA = PG.name();

  final StoreFixture fixture = new StoreFixture();
  final List<JdbcJobStore> nodes = new ArrayList<>();
  ExecutorService pool;

  @BeforeEach
  void openNodes() {
    PG.fresh();
    for (int i = 0; i < 3; i++) {
      JdbcJobStore store =
          JdbcJobStore.postgres(PgTestDatabase.URL)
              .user(PgTestDatabase.USER)
              .schema(SCHEMA)
              .poolSize(4)
              .build();
      store.open(fixture.context());
      nodes.add(store);
    }
    pool = Executors.newFixedThreadPool(9);
  }

  @AfterEach
  void closeNodes() {
    pool.shutdownNow();
    nodes.forEach(JdbcJobStore::close);
  }

  @Test
  void concurrentInsertsFromThreeNodesNeverOverfillAQueue() throws Exception {
    fixture.queues.put("tight", QueueConfig.reject(200));
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < 9; t++) {
      JdbcJobStore node = nodes.get(t % 3);
      work.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 40; i++) {
                  try {
                    node.insert(List.of(fixture.job("tight", "t"), fixture.job("tight", "t")));
                    accepted.addAndGet(2);
                  } catch (QueueFullException e) {
                    rejected.incrementAndGet();
                  }
                }
              }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    assertThat(accepted.get()).isEqualTo(200);
    assertThat(rejected.get()).isEqualTo(9 * 40 - 100);
    assertThat(nodes.get(0).counts().pendingByQueue()).containsEntry("tight", 200L);
    assertThat(nodes.get(1).counts().count(dev.plimsoll.JobState.QUEUED)).isEqualTo(200);
  }

  @Test
  void insertsRacingClaimsOnThreeNodesNeverOverfillAQueueAndKeepItsCountEqualToItsRows()
      throws Exception {
    fixture.queues.put("tight", QueueConfig.reject(100));
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger claimedJobs = new AtomicInteger();
    AtomicInteger fullSeen = new AtomicInteger();
    AtomicBoolean inserting = new AtomicBoolean(true);
    Semaphore full = new Semaphore(0);
    List<Future<?>> inserters = new ArrayList<>();
    List<Future<?>> claimers = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      JdbcJobStore node = nodes.get(t % 3);
      inserters.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 150; i++) {
                  try {
                    node.insert(List.of(fixture.job("tight", "t"), fixture.job("tight", "t")));
                    accepted.addAndGet(2);
                  } catch (QueueFullException e) {
                    fullSeen.incrementAndGet();
                    full.release(); // a claimer frees places while the other inserters compete
                  }
                }
              }));
    }
    for (int t = 0; t < 3; t++) {
      JdbcJobStore node = nodes.get(t);
      String nodeId = "claimer-" + t;
      claimers.add(
          pool.submit(
              () -> {
                while (inserting.get()) {
                  if (!full.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                    continue;
                  }
                  List<ClaimedJob> claimed =
                      node.claim(
                          new ClaimRequest(
                              7,
                              Set.of("t"),
                              nodeId,
                              fixture.clock.instant(),
                              Duration.ofMinutes(1)));
                  claimedJobs.addAndGet(claimed.size());
                  // never more pending rows than the capacity, in any snapshot
                  assertThat(node.counts().count(dev.plimsoll.JobState.QUEUED))
                      .isLessThanOrEqualTo(100);
                }
                return null;
              }));
    }
    for (Future<?> f : inserters) {
      f.get();
    }
    inserting.set(false);
    for (Future<?> f : claimers) {
      f.get();
    }
    long queued = nodes.get(0).counts().count(dev.plimsoll.JobState.QUEUED);
    assertThat(claimedJobs.get()).isPositive();
    assertThat(fullSeen.get()).isPositive();
    assertThat(queued).isEqualTo(accepted.get() - claimedJobs.get()).isLessThanOrEqualTo(100);
    assertThat(nodes.get(1).counts().pendingByQueue().getOrDefault("tight", 0L)).isEqualTo(queued);
    assertThat(nodes.get(2).counts().count(dev.plimsoll.JobState.RUNNING))
        .isEqualTo(claimedJobs.get());
  }

  @Test
  void concurrentBatchClaimsFromThreeNodesHandEachJobOutExactlyOnce() throws Exception {
    int total = 6_000;
    for (int done = 0; done < total; done += 1_000) {
      List<NewJob> jobs = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        jobs.add(fixture.job("q", "t"));
      }
      nodes.get(0).insert(jobs);
    }
    Map<JobId, Integer> claims = new ConcurrentHashMap<>();
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < 9; t++) {
      JdbcJobStore node = nodes.get(t % 3);
      String nodeId = "node-" + t;
      work.add(
          pool.submit(
              () -> {
                while (true) {
                  List<ClaimedJob> claimed =
                      node.claim(
                          new ClaimRequest(
                              50,
                              Set.of("t"),
                              nodeId,
                              fixture.clock.instant(),
                              Duration.ofMinutes(1)));
                  if (claimed.isEmpty()) {
                    return;
                  }
                  List<Completion> done = new ArrayList<>();
                  for (ClaimedJob cj : claimed) {
                    claims.merge(cj.job().id(), 1, Integer::sum);
                    done.add(
                        Completion.succeeded(
                            cj.job().id(), cj.token(), null, fixture.clock.instant()));
                  }
                  node.complete(done);
                }
              }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    assertThat(claims).hasSize(total);
    assertThat(claims.values()).containsOnly(1);
    assertThat(nodes.get(2).counts().count(dev.plimsoll.JobState.SUCCEEDED)).isEqualTo(total);
  }

  @Test
  void concurrentCompletionBatchesOfOneNodeAreEachToldWhichOfTheirCompletionsApplied()
      throws Exception {
    JdbcJobStore node = nodes.get(0);
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 8 * 60; i++) {
      jobs.add(fixture.job("q", "t"));
    }
    node.insert(jobs);
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(8);
    List<Future<Integer>> work = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String nodeId = "worker-" + t;
      work.add(
          pool.submit(
              () -> {
                List<ClaimedJob> claimed =
                    node.claim(
                        new ClaimRequest(
                            60,
                            Set.of("t"),
                            nodeId,
                            fixture.clock.instant(),
                            Duration.ofMinutes(1)));
                List<Completion> done = new ArrayList<>();
                for (int i = 0; i < claimed.size(); i++) {
                  ClaimedJob cj = claimed.get(i);
                  // every third completion carries a token the job never had: it must not apply
                  long token = i % 3 == 0 ? cj.token() + 7 : cj.token();
                  done.add(
                      Completion.succeeded(cj.job().id(), token, null, fixture.clock.instant()));
                }
                together.await(10, TimeUnit.SECONDS);
                boolean[] applied = node.complete(done);
                assertThat(applied).hasSize(done.size());
                for (int i = 0; i < applied.length; i++) {
                  assertThat(applied[i]).as("completion %d of %s", i, nodeId).isEqualTo(i % 3 != 0);
                }
                return claimed.size();
              }));
    }
    int claimed = 0;
    for (Future<Integer> f : work) {
      claimed += f.get(60, TimeUnit.SECONDS);
    }
    assertThat(claimed).isEqualTo(8 * 60);
    assertThat(node.counts().count(dev.plimsoll.JobState.SUCCEEDED)).isEqualTo(8 * 40);
    assertThat(node.counts().count(dev.plimsoll.JobState.RUNNING)).isEqualTo(8 * 20);
  }
}
