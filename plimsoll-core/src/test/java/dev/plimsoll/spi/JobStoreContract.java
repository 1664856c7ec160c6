package dev.plimsoll.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import dev.plimsoll.JobPage;
import dev.plimsoll.JobQuery;
import dev.plimsoll.JobState;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.QueueFullException;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.SettableClock;
import dev.plimsoll.internal.JobIds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link JobStore} must have. A store's test is a subclass that only says how
 * to build a store over empty storage ({@link #newStore()}) and how to clean up ({@link
 * #cleanUp()}); every case here then runs against it.
 *
 * <p>Each test opens its own store with the context it needs: a {@link SettableClock}, queue {@code
 * small} with capacity 3 (REJECT), queue {@code drop} with capacity 2 (DROP_OLDEST), {@code bulk}
 * with capacity 10,000, any other queue with capacity 1,000, and the retention given by {@link
 * #open(RetentionPolicy, RetentionPolicy)}.
 */
public abstract class JobStoreContract {
  protected static final String NODE = "node-a";
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected final SettableClock clock = SettableClock.atFixedStart();
  protected final AtomicInteger wakeUps = new AtomicInteger();
  private final JobIds ids = new JobIds(clock);
  protected JobStore store;

  /** A store over empty storage, not yet opened. */
  protected abstract JobStore newStore();

  /** Called after each test, after the store is closed. */
  protected void cleanUp() {}

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
    cleanUp();
  }

  protected JobStore open() {
    return open(RetentionPolicy.FINISHED_DEFAULT, RetentionPolicy.DEAD_DEFAULT);
  }

  protected JobStore open(RetentionPolicy finished, RetentionPolicy dead) {
    store = newStore();
    store.open(
        new StoreContext(
            clock, JobStoreContract::queueConfig, finished, dead, wakeUps::incrementAndGet));
    return store;
  }

  protected static QueueConfig queueConfig(String name) {
    return switch (name) {
      case "small" -> QueueConfig.reject(3);
      case "drop" -> QueueConfig.dropOldest(2);
      case "bulk" -> QueueConfig.reject(10_000);
      default -> QueueConfig.reject(1_000);
    };
  }

  protected NewJob job(String type) {
    return job("default", type, 5);
  }

  protected NewJob job(String queue, String type, int priority) {
    Instant now = clock.instant();
    return new NewJob(
        ids.next(), queue, type, bytes("p-" + type), null, null, priority, 3, 30_000, now, now);
  }

  protected NewJob keyed(String owner, String key) {
    Instant now = clock.instant();
    return new NewJob(ids.next(), "default", "t", bytes(key), owner, key, 5, 3, 30_000, now, now);
  }

  protected NewJob delayed(String type, Duration delay) {
    Instant now = clock.instant();
    return new NewJob(
        ids.next(), "default", type, bytes("d"), null, null, 5, 3, 30_000, now, now.plus(delay));
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected JobId insert(NewJob job) {
    return store.insert(List.of(job)).get(0).id();
  }

  protected List<ClaimedJob> claim(int max, String... types) {
    return store.claim(new ClaimRequest(max, Set.of(types), NODE, clock.instant(), LEASE));
  }

  protected ClaimedJob claimOne(String type) {
    List<ClaimedJob> claimed = claim(1, type);
    assertThat(claimed).hasSize(1);
    return claimed.get(0);
  }

  protected boolean complete(Completion c) {
    return store.complete(List.of(c))[0];
  }

  protected Job get(JobId id) {
    return store.get(id).orElseThrow(() -> new AssertionError("no job " + id));
  }

  protected Instant now() {
    return clock.instant();
  }

  // ---------------------------------------------------------------- admission

  @Test
  void anInsertedJobIsQueuedWithEveryFieldKept() {
    open();
    Instant now = now();
    NewJob n =
        new NewJob(
            ids.next(), "default", "email", bytes("hello"), "acme", "k1", 7, 4, 1234, now, now);
    InsertResult r = store.insert(List.of(n)).get(0);

    assertThat(r).isEqualTo(InsertResult.inserted(n.id()));
    Job job = get(n.id());
    assertThat(job.state()).isEqualTo(JobState.QUEUED);
    assertThat(job.queue()).isEqualTo("default");
    assertThat(job.type()).isEqualTo("email");
    assertThat(job.payload()).isEqualTo(bytes("hello"));
    assertThat(job.owner()).isEqualTo("acme");
    assertThat(job.idempotencyKey()).isEqualTo("k1");
    assertThat(job.priority()).isEqualTo(7);
    assertThat(job.attempts()).isZero();
    assertThat(job.maxAttempts()).isEqualTo(4);
    assertThat(job.timeout()).isEqualTo(Duration.ofMillis(1234));
    assertThat(job.createdAt()).isEqualTo(now);
    assertThat(job.runAt()).isEqualTo(now);
  }

  @Test
  void anUnknownIdIsEmpty() {
    open();
    assertThat(store.get(ids.next())).isEmpty();
  }

  @Test
  void aFullRejectQueueRefusesTheWholeBatchAndChangesNothing() {
    open();
    insert(job("small", "t", 5));
    insert(job("small", "t", 5));

    assertThatThrownBy(() -> store.insert(List.of(job("small", "t", 5), job("small", "t", 5))))
        .isInstanceOf(QueueFullException.class)
        .hasMessageContaining("small")
        .hasMessageContaining("3");
    assertThat(store.counts().pendingByQueue().get("small")).isEqualTo(2L);

    insert(job("small", "t", 5));
    assertThatThrownBy(() -> insert(job("small", "t", 5)))
        .isInstanceOfSatisfying(
            QueueFullException.class,
            e -> {
              assertThat(e.queue()).isEqualTo("small");
              assertThat(e.capacity()).isEqualTo(3);
            });
    assertThat(store.counts().pendingByQueue().get("small")).isEqualTo(3L);
  }

  @Test
  void delayedJobsCountAgainstCapacityAndRunningOnesDoNot() {
    open();
    Instant now = now();
    store.insert(
        List.of(
            new NewJob(
                ids.next(),
                "small",
                "t",
                bytes("a"),
                null,
                null,
                5,
                3,
                1000,
                now,
                now.plusSeconds(60)),
            job("small", "t", 5),
            job("small", "t", 5)));
    assertThatThrownBy(() -> insert(job("small", "t", 5))).isInstanceOf(QueueFullException.class);

    claimOne("t");
    insert(job("small", "t", 5));
    assertThat(store.counts().pendingByQueue().get("small")).isEqualTo(3L);
  }

  @Test
  void aDropOldestQueueCancelsItsOldestPendingJobToAdmitTheNewOne() {
    open();
    JobId first = insert(job("drop", "t", 5));
    JobId second = insert(job("drop", "t", 5));
    NewJob third = job("drop", "t", 5);

    InsertResult r = store.insert(List.of(third)).get(0);

    assertThat(r.id()).isEqualTo(third.id());
    assertThat(r.dropped()).isEqualTo(first);
    Job dropped = get(first);
    assertThat(dropped.state()).isEqualTo(JobState.CANCELLED);
    assertThat(dropped.error()).contains("dropped");
    assertThat(get(second).state()).isEqualTo(JobState.QUEUED);
    assertThat(store.counts().pendingByQueue().get("drop")).isEqualTo(2L);
  }

  @Test
  void anIdempotencyKeyReturnsTheHeldJobPerOwner() {
    open();
    JobId original = insert(keyed("acme", "order-1"));

    InsertResult again = store.insert(List.of(keyed("acme", "order-1"))).get(0);
    InsertResult otherOwner = store.insert(List.of(keyed("globex", "order-1"))).get(0);

    assertThat(again.duplicate()).isTrue();
    assertThat(again.id()).isEqualTo(original);
    assertThat(otherOwner.duplicate()).isFalse();
    assertThat(otherOwner.id()).isNotEqualTo(original);
    assertThat(store.counts().count(JobState.QUEUED)).isEqualTo(2);
  }

  @Test
  void duplicateKeysInsideOneBatchInsertOneJob() {
    open();
    List<InsertResult> r = store.insert(List.of(keyed("acme", "x"), keyed("acme", "x")));
    assertThat(r.get(0).duplicate()).isFalse();
    assertThat(r.get(1).duplicate()).isTrue();
    assertThat(r.get(1).id()).isEqualTo(r.get(0).id());
    assertThat(store.counts().count(JobState.QUEUED)).isEqualTo(1);
  }

  @Test
  void anIdempotencyKeyIsHonouredWhileTheFinishedJobIsRetained() {
    open();
    JobId original = insert(keyed("acme", "k"));
    ClaimedJob c = claimOne("t");
    complete(Completion.succeeded(c.job().id(), c.token(), null, now()));

    InsertResult again = store.insert(List.of(keyed("acme", "k"))).get(0);

    assertThat(again.duplicate()).isTrue();
    assertThat(again.id()).isEqualTo(original);
  }

  // ---------------------------------------------------------------- claiming

  @Test
  void aClaimMovesJobsToRunningCountsTheAttemptAndGivesAToken() {
    open();
    JobId id = insert(job("t"));

    ClaimedJob c = claimOne("t");

    assertThat(c.job().id()).isEqualTo(id);
    assertThat(c.job().state()).isEqualTo(JobState.RUNNING);
    assertThat(c.job().attempts()).isEqualTo(1);
    assertThat(get(id).state()).isEqualTo(JobState.RUNNING);
    assertThat(claim(10, "t")).isEmpty();
  }

  @Test
  void aClaimTakesAtMostMaxAndOnlyTheAskedTypes() {
    open();
    for (int i = 0; i < 5; i++) {
      insert(job("a"));
      insert(job("b"));
    }
    List<ClaimedJob> claimed = claim(3, "a");
    assertThat(claimed).hasSize(3).allMatch(c -> c.job().type().equals("a"));
    assertThat(claim(10, "a")).hasSize(2);
    assertThat(store.counts().count(JobState.QUEUED)).isEqualTo(5);
  }

  @Test
  void higherPriorityRunsFirstAndEqualPrioritiesInSubmissionOrder() {
    open();
    JobId low1 = insert(job("default", "t", 1));
    JobId high = insert(job("default", "t", 9));
    JobId low2 = insert(job("default", "t", 1));
    JobId mid = insert(job("default", "t", 5));

    List<JobId> order = claim(4, "t").stream().map(c -> c.job().id()).toList();

    assertThat(order).containsExactly(high, mid, low1, low2);
  }

  @Test
  void tokensOfSuccessiveClaimsDiffer() {
    open();
    insert(job("t"));
    ClaimedJob first = claimOne("t");
    complete(Completion.released(first.job().id(), first.token(), now()));
    ClaimedJob second = claimOne("t");
    assertThat(second.token()).isNotEqualTo(first.token());
  }

  @Test
  void concurrentClaimersNeverReceiveTheSameJob() throws Exception {
    open();
    int total = 2_000;
    List<NewJob> batch = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      batch.add(job("bulk", "t", 5));
      if (batch.size() == 500) {
        store.insert(batch);
        batch = new ArrayList<>();
      }
    }
    Set<JobId> seen = ConcurrentHashMap.newKeySet();
    List<JobId> duplicates = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  List<ClaimedJob> got;
                  do {
                    got = claim(7, "t");
                    for (ClaimedJob c : got) {
                      if (!seen.add(c.job().id())) {
                        duplicates.add(c.job().id());
                      }
                    }
                  } while (!got.isEmpty());
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(duplicates).isEmpty();
    assertThat(seen).hasSize(total);
  }

  // ---------------------------------------------------------------- completion

  @Test
  void aSucceededCompletionKeepsTheResult() {
    open();
    JobId id = insert(job("t"));
    ClaimedJob c = claimOne("t");

    assertThat(complete(Completion.succeeded(id, c.token(), bytes("ok"), now()))).isTrue();

    Job job = get(id);
    assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.result()).isEqualTo(bytes("ok"));
  }

  @Test
  void aCompletionWithAStaleTokenOrForAJobNotRunningChangesNothing() {
    open();
    JobId id = insert(job("t"));
    ClaimedJob c = claimOne("t");

    assertThat(complete(Completion.succeeded(id, c.token() + 1_000_000, null, now()))).isFalse();
    assertThat(get(id).state()).isEqualTo(JobState.RUNNING);

    assertThat(complete(Completion.succeeded(id, c.token(), null, now()))).isTrue();
    assertThat(complete(Completion.dead(id, c.token(), "late", now()))).isFalse();
    assertThat(get(id).state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void completingAQueuedJobIsImpossible() {
    open();
    JobId id = insert(job("t"));
    assertThat(complete(Completion.succeeded(id, 0, null, now()))).isFalse();
    assertThat(get(id).state()).isEqualTo(JobState.QUEUED);
  }

  @Test
  void aRetryWaitsUntilItsRunAtThenRunsAgainWithTheNextAttempt() {
    open();
    JobId id = insert(job("t"));
    ClaimedJob c = claimOne("t");
    Instant retryAt = now().plusSeconds(2);

    assertThat(complete(Completion.retry(id, c.token(), "boom", retryAt, now()))).isTrue();

    Job waiting = get(id);
    assertThat(waiting.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(waiting.error()).isEqualTo("boom");
    assertThat(waiting.runAt()).isEqualTo(retryAt);
    assertThat(store.nextRunAt()).contains(retryAt);
    assertThat(store.promoteDue(now(), 100)).isZero();
    assertThat(claim(1, "t")).isEmpty();

    clock.advance(Duration.ofSeconds(2));
    assertThat(store.promoteDue(now(), 100)).isEqualTo(1);
    ClaimedJob again = claimOne("t");
    assertThat(again.job().attempts()).isEqualTo(2);
    assertThat(store.nextRunAt()).isEmpty();
  }

  @Test
  void aDelayedJobIsScheduledUntilItsTime() {
    open();
    JobId id = insert(delayed("t", Duration.ofMinutes(5)));
    assertThat(get(id).state()).isEqualTo(JobState.SCHEDULED);
    assertThat(store.nextRunAt()).contains(now().plus(Duration.ofMinutes(5)));

    clock.advance(Duration.ofMinutes(4));
    assertThat(store.promoteDue(now(), 10)).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(store.promoteDue(now(), 10)).isEqualTo(1);
    assertThat(get(id).state()).isEqualTo(JobState.QUEUED);
  }

  @Test
  void promotionIsBoundedByMax() {
    open();
    for (int i = 0; i < 5; i++) {
      insert(delayed("t", Duration.ofSeconds(1)));
    }
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.promoteDue(now(), 3)).isEqualTo(3);
    assertThat(store.promoteDue(now(), 3)).isEqualTo(2);
  }

  @Test
  void aReleasedAttemptGoesBackToTheQueueUncounted() {
    open();
    JobId id = insert(job("t"));
    ClaimedJob c = claimOne("t");
    assertThat(complete(Completion.released(id, c.token(), now()))).isTrue();
    Job job = get(id);
    assertThat(job.state()).isEqualTo(JobState.QUEUED);
    assertThat(job.attempts()).isZero();
  }

  // ---------------------------------------------------------------- dead letters

  @Test
  void deadJobsCanBeListedRequeuedDeletedAndPurged() {
    open();
    List<JobId> dead = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JobId id = insert(job("t"));
      ClaimedJob c = claimOne("t");
      complete(Completion.dead(id, c.token(), "bad " + i, now()));
      dead.add(id);
    }
    JobPage page = store.list(JobQuery.inState(JobState.DEAD, 10));
    assertThat(page.jobs()).extracting(Job::id).containsExactlyInAnyOrderElementsOf(dead);
    assertThat(get(dead.get(0)).error()).isEqualTo("bad 0");

    assertThat(store.requeueDead(dead.get(0), now())).isTrue();
    Job requeued = get(dead.get(0));
    assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
    assertThat(requeued.attempts()).isZero();
    assertThat(store.requeueDead(dead.get(0), now())).isFalse();

    assertThat(store.deleteDead(dead.get(1))).isTrue();
    assertThat(store.get(dead.get(1))).isEmpty();
    assertThat(store.deleteDead(dead.get(0))).isFalse();

    assertThat(store.purgeDead()).isEqualTo(2);
    assertThat(store.counts().count(JobState.DEAD)).isZero();
  }

  // ---------------------------------------------------------------- cancellation

  @Test
  void cancellingAPendingJobCancelsItWithTheReason() {
    open();
    JobId queued = insert(job("t"));
    JobId scheduled = insert(delayed("t", Duration.ofHours(1)));

    assertThat(store.cancel(queued, "user", now())).isEqualTo(CancelResult.CANCELLED);
    assertThat(store.cancel(scheduled, "user", now())).isEqualTo(CancelResult.CANCELLED);

    assertThat(get(queued).state()).isEqualTo(JobState.CANCELLED);
    assertThat(get(queued).error()).isEqualTo("user");
    assertThat(get(scheduled).state()).isEqualTo(JobState.CANCELLED);
    assertThat(claim(10, "t")).isEmpty();
    assertThat(store.nextRunAt()).isEmpty();
    assertThat(store.counts().pendingByQueue().getOrDefault("default", 0L)).isZero();
  }

  @Test
  void cancellingARunningJobIsRequestedAndReportedByHeartbeat() {
    open();
    JobId id = insert(job("t"));
    ClaimedJob c = claimOne("t");

    assertThat(store.cancel(id, "user", now())).isEqualTo(CancelResult.REQUESTED);
    HeartbeatResult hb =
        store.heartbeat(List.of(new LeaseRenewal(id, c.token())), now().plus(LEASE));
    assertThat(hb.cancelRequested()).containsExactly(id);
    assertThat(get(id).state()).isEqualTo(JobState.RUNNING);

    assertThat(complete(Completion.cancelled(id, c.token(), "user", now()))).isTrue();
    assertThat(get(id).state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void cancellingAFinishedOrUnknownJobChangesNothing() {
    open();
    JobId id = insert(job("t"));
    ClaimedJob c = claimOne("t");
    complete(Completion.succeeded(id, c.token(), null, now()));

    assertThat(store.cancel(id, "user", now())).isEqualTo(CancelResult.ALREADY_FINISHED);
    assertThat(get(id).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(store.cancel(ids.next(), "user", now())).isEqualTo(CancelResult.NOT_FOUND);
  }

  @Test
  void cancelPendingCancelsQueuedAndScheduledJobsUpToMaxAndLeavesRunningOnes() {
    open();
    JobId running = insert(job("t"));
    claimOne("t");
    JobId q1 = insert(job("t"));
    JobId q2 = insert(job("t"));
    JobId later = insert(delayed("t", Duration.ofHours(1)));

    List<Job> first = store.cancelPending("shutdown", now(), 2);
    List<Job> rest = store.cancelPending("shutdown", now(), 10);

    assertThat(first).hasSize(2);
    assertThat(rest).hasSize(1);
    assertThat(store.cancelPending("shutdown", now(), 10)).isEmpty();
    List<JobId> all = new ArrayList<>();
    first.forEach(j -> all.add(j.id()));
    rest.forEach(j -> all.add(j.id()));
    assertThat(all).containsExactlyInAnyOrder(q1, q2, later);
    assertThat(first)
        .allMatch(j -> j.state() == JobState.CANCELLED && "shutdown".equals(j.error()));
    assertThat(get(running).state()).isEqualTo(JobState.RUNNING);
    assertThat(store.nextRunAt()).isEmpty();
  }

  // ---------------------------------------------------------------- retention

  @Test
  void finishedJobsBeyondTheRetentionCountAreRemovedOldestFirst() {
    open(new RetentionPolicy(Duration.ofHours(1), 5), RetentionPolicy.DEAD_DEFAULT);
    List<JobId> done = runToSuccess(12);

    PurgeResult purged = store.purge(now(), 1_000);
    while (purged.more()) {
      purged = store.purge(now(), 1_000);
    }

    assertThat(store.counts().count(JobState.SUCCEEDED)).isEqualTo(5);
    for (JobId id : done.subList(0, 7)) {
      assertThat(store.get(id)).isEmpty();
    }
    for (JobId id : done.subList(7, 12)) {
      assertThat(store.get(id)).isPresent();
    }
  }

  @Test
  void purgedCountsReportEveryRemovedJob() {
    open(new RetentionPolicy(Duration.ofMinutes(1), 3), RetentionPolicy.DEAD_DEFAULT);
    runToSuccess(10);
    clock.advance(Duration.ofMinutes(2));
    long total = 0;
    PurgeResult r;
    do {
      r = store.purge(now(), 2);
      total += r.finished();
    } while (r.more());
    assertThat(total).isEqualTo(10);
    assertThat(store.counts().count(JobState.SUCCEEDED)).isZero();
  }

  @Test
  void finishedJobsOlderThanTheRetentionAgeArePurgedInBatches() {
    open(new RetentionPolicy(Duration.ofMinutes(10), 10_000), RetentionPolicy.DEAD_DEFAULT);
    List<JobId> old = runToSuccess(5);
    clock.advance(Duration.ofMinutes(9));
    List<JobId> young = runToSuccess(2);
    clock.advance(Duration.ofMinutes(2));

    PurgeResult first = store.purge(now(), 3);
    assertThat(first.finished()).isEqualTo(3);
    assertThat(first.more()).isTrue();
    PurgeResult second = store.purge(now(), 3);
    assertThat(second.finished()).isEqualTo(2);
    assertThat(second.more()).isFalse();

    old.forEach(id -> assertThat(store.get(id)).isEmpty());
    young.forEach(id -> assertThat(store.get(id)).isPresent());
  }

  @Test
  void deadJobsHaveTheirOwnRetention() {
    open(RetentionPolicy.FINISHED_DEFAULT, new RetentionPolicy(Duration.ofDays(14), 2));
    List<JobId> dead = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JobId id = insert(job("t"));
      ClaimedJob c = claimOne("t");
      complete(Completion.dead(id, c.token(), "x", now()));
      dead.add(id);
    }
    store.purge(now(), 100);
    assertThat(store.counts().count(JobState.DEAD)).isEqualTo(2);
    assertThat(store.get(dead.get(3))).isPresent();

    clock.advance(Duration.ofDays(15));
    store.purge(now(), 100);
    assertThat(store.counts().count(JobState.DEAD)).isZero();
  }

  protected List<JobId> runToSuccess(int n) {
    List<JobId> done = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JobId id = insert(job("t"));
      ClaimedJob c = claimOne("t");
      assertThat(complete(Completion.succeeded(id, c.token(), null, now()))).isTrue();
      done.add(id);
    }
    return done;
  }

  // ---------------------------------------------------------------- queries

  @Test
  void listingIsNewestFirstPagedByCursorAndFiltered() {
    open();
    List<JobId> all = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      all.add(insert(i % 2 == 0 ? job("even") : job("odd")));
    }
    Collections.reverse(all);

    JobPage first = store.list(JobQuery.all(3));
    assertThat(first.jobs()).extracting(Job::id).containsExactlyElementsOf(all.subList(0, 3));
    JobPage second = store.list(JobQuery.all(3).withCursor(first.nextCursor()));
    assertThat(second.jobs()).extracting(Job::id).containsExactlyElementsOf(all.subList(3, 6));
    JobPage third = store.list(JobQuery.all(3).withCursor(second.nextCursor()));
    assertThat(third.jobs()).extracting(Job::id).containsExactly(all.get(6));
    assertThat(third.nextCursor()).isNull();

    JobQuery odd = new JobQuery(null, "odd", null, null, 10, null);
    assertThat(store.list(odd).jobs()).hasSize(3).allMatch(j -> j.type().equals("odd"));
  }

  @Test
  void listingFiltersByOwnerAndState() {
    open();
    insert(keyed("acme", "1"));
    insert(keyed("globex", "2"));
    JobQuery acme = JobQuery.all(10).withOwner("acme");
    assertThat(store.list(acme).jobs()).extracting(Job::owner).containsExactly("acme");
    assertThat(store.list(JobQuery.inState(JobState.RUNNING, 10)).jobs()).isEmpty();
  }

  @Test
  void countsReportEveryStateAndPendingPerQueue() {
    open();
    insert(job("t"));
    insert(job("t"));
    insert(delayed("t", Duration.ofMinutes(1)));
    insert(job("small", "t", 5));
    claimOne("t");

    StoreCounts counts = store.counts();
    assertThat(counts.byState()).containsKeys(JobState.values());
    Map<JobState, Long> s = counts.byState();
    assertThat(s.get(JobState.QUEUED) + s.get(JobState.RUNNING)).isEqualTo(3);
    assertThat(s.get(JobState.SCHEDULED)).isEqualTo(1);
    assertThat(counts.total()).isEqualTo(4);
    long pending = counts.pendingByQueue().values().stream().mapToLong(Long::longValue).sum();
    assertThat(pending).isEqualTo(3);
  }

  // ---------------------------------------------------------------- leases

  @Test
  void anExpiredLeaseReturnsTheJobWithTheAttemptCountedAndFencesTheLateCompletion() {
    open();
    if (!store.leases()) {
      return;
    }
    JobId id = insert(job("t"));
    ClaimedJob lost = claimOne("t");
    assertThat(lost.leaseUntil()).isEqualTo(now().plus(LEASE));

    clock.advance(LEASE.plusSeconds(1));
    assertThat(store.recoverExpiredLeases(now(), 100)).isEqualTo(1);
    Job back = get(id);
    assertThat(back.state()).isEqualTo(JobState.QUEUED);
    assertThat(back.attempts()).isEqualTo(1);

    ClaimedJob retaken = claimOne("t");
    assertThat(retaken.job().attempts()).isEqualTo(2);
    assertThat(complete(Completion.succeeded(id, lost.token(), null, now()))).isFalse();
    assertThat(complete(Completion.succeeded(id, retaken.token(), null, now()))).isTrue();
  }

  @Test
  void aHeartbeatKeepsTheLeaseAndReportsLostOnes() {
    open();
    if (!store.leases()) {
      return;
    }
    JobId kept = insert(job("t"));
    ClaimedJob k = claimOne("t");
    JobId dropped = insert(job("t"));
    ClaimedJob d = claimOne("t");

    clock.advance(Duration.ofSeconds(20));
    HeartbeatResult first =
        store.heartbeat(List.of(new LeaseRenewal(kept, k.token())), now().plus(LEASE));
    assertThat(first.lost()).isEmpty();
    clock.advance(Duration.ofSeconds(20));
    assertThat(store.recoverExpiredLeases(now(), 100)).isEqualTo(1);
    assertThat(get(kept).state()).isEqualTo(JobState.RUNNING);
    assertThat(get(dropped).state()).isEqualTo(JobState.QUEUED);

    HeartbeatResult second =
        store.heartbeat(
            List.of(new LeaseRenewal(kept, k.token()), new LeaseRenewal(dropped, d.token())),
            now().plus(LEASE));
    assertThat(second.lost()).containsExactly(dropped);
  }

  @Test
  void anExpiredLeaseOnTheLastAttemptMakesTheJobDead() {
    open();
    if (!store.leases()) {
      return;
    }
    Instant now = now();
    JobId id =
        insert(
            new NewJob(ids.next(), "default", "t", bytes("x"), null, null, 5, 1, 1000, now, now));
    claimOne("t");
    clock.advance(LEASE.plusSeconds(1));
    assertThat(store.recoverExpiredLeases(now(), 100)).isEqualTo(1);
    Job job = get(id);
    assertThat(job.state()).isEqualTo(JobState.DEAD);
    assertThat(job.error()).contains("lease expired");
  }

  // ---------------------------------------------------------------- helpers for subclasses

  protected Set<JobId> idsOf(List<ClaimedJob> claimed) {
    Set<JobId> out = new HashSet<>();
    claimed.forEach(c -> out.add(c.job().id()));
    return out;
  }
}
