package dev.plimsoll.redis;

import static dev.plimsoll.redis.TestJobs.claim;
import static dev.plimsoll.redis.TestJobs.job;
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
import dev.plimsoll.redis.internal.Ids;
import dev.plimsoll.spi.CancelResult;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.HeartbeatResult;
import dev.plimsoll.spi.InsertResult;
import dev.plimsoll.spi.LeaseRenewal;
import dev.plimsoll.spi.NewJob;
import dev.plimsoll.spi.PurgeResult;
import dev.plimsoll.spi.StoreContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisJobStoreTest {
  @RegisterExtension static final RedisPrefix KEYS = new RedisPrefix(RedisJobStoreTest.class);
  private static final String PREFIX = KEYS.prefix;
  private final SettableClock clock = SettableClock.atFixedStart();
  private final List<RedisJobStore> stores = new ArrayList<>();
  private RedisJobStore store;

  @BeforeEach
  void openStore() {
    store = open(RedisTestSupport.context(clock), b -> {});
  }

  @AfterEach
  void closeStores() {
    stores.forEach(RedisJobStore::close);
  }

  private RedisJobStore open(
      StoreContext context, java.util.function.Consumer<RedisJobStore.Builder> config) {
    RedisJobStore.Builder b = RedisJobStore.builder().uri(RedisTestSupport.URI).prefix(PREFIX);
    config.accept(b);
    RedisJobStore s = b.build();
    s.open(context);
    stores.add(s);
    return s;
  }

  private Instant now() {
    return clock.instant();
  }

  private ClaimedJob claimOne(String type) {
    List<ClaimedJob> claimed = store.claim(claim(1, now(), type));
    assertThat(claimed).hasSize(1);
    return claimed.get(0);
  }

  private double runningScore(JobId id) {
    return KEYS.redis().redis.zscore(RedisTestSupport.bytes(PREFIX + "run"), Ids.bytes(id));
  }

  @Test
  void aJobMovesFromQueuedThroughRunningToSucceededWithItsResultStored() {
    NewJob submitted = job("default", "email", now());
    assertThat(store.insert(List.of(submitted)))
        .containsExactly(InsertResult.inserted(submitted.id()));
    assertThat(store.get(submitted.id())).map(Job::state).contains(JobState.QUEUED);

    ClaimedJob claimed = claimOne("email");
    assertThat(claimed.job().id()).isEqualTo(submitted.id());
    assertThat(claimed.job().state()).isEqualTo(JobState.RUNNING);
    assertThat(claimed.job().attempts()).isEqualTo(1);
    assertThat(claimed.job().payload()).isEqualTo(submitted.payload());
    assertThat(claimed.leaseUntil()).isEqualTo(now().plusSeconds(30));

    byte[] result = "ok".getBytes(StandardCharsets.UTF_8);
    assertThat(
            store.complete(
                List.of(Completion.succeeded(submitted.id(), claimed.token(), result, now()))))
        .containsExactly(true);
    Job done = store.get(submitted.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.result()).isEqualTo(result);
    assertThat(store.counts().count(JobState.SUCCEEDED)).isEqualTo(1);
    assertThat(store.counts().pendingByQueue()).isEmpty();
  }

  @Test
  void aClaimedJobIsRecordedInTheInFlightSetScoredByItsLeaseExpiryBeforeTheWorkerSeesIt() {
    NewJob submitted = job("default", "t", now());
    store.insert(List.of(submitted));
    ClaimedJob claimed = claimOne("t");
    assertThat((long) runningScore(submitted.id())).isEqualTo(claimed.leaseUntil().toEpochMilli());
    assertThat(store.counts().count(JobState.RUNNING)).isEqualTo(1);
    assertThat(store.counts().count(JobState.QUEUED)).isZero();
  }

  @Test
  void aFullQueueRejectsTheWholeBatchWithQueueFullExceptionAndWritesNothing() {
    RedisJobStore small =
        open(
            RedisTestSupport.context(
                clock, q -> QueueConfig.reject(3), RetentionPolicy.FINISHED_DEFAULT),
            b -> {});
    small.insert(List.of(job("q", "t", now()), job("q", "t", now())));
    long keysBefore = KEYS.redis().keyCount(PREFIX);

    List<NewJob> batch =
        List.of(job("other", "t", now()), job("q", "t", now()), job("q", "t", now()));
    assertThatThrownBy(() -> small.insert(batch))
        .isInstanceOf(QueueFullException.class)
        .hasMessageContaining("queue 'q' is full (capacity 3");
    assertThat(small.get(batch.get(0).id())).isEmpty();
    assertThat(KEYS.redis().keyCount(PREFIX)).isEqualTo(keysBefore);
    assertThat(small.counts().pendingByQueue()).containsExactlyEntriesOf(java.util.Map.of("q", 2L));
  }

  @Test
  void dropOldestCancelsTheOldestPendingJobWithReasonDroppedToAdmitTheNewOne() {
    RedisJobStore dropping =
        open(
            RedisTestSupport.context(
                clock, q -> QueueConfig.dropOldest(2), RetentionPolicy.FINISHED_DEFAULT),
            b -> {});
    NewJob first = job("q", "t", now());
    NewJob second = job("q", "t", now());
    dropping.insert(List.of(first, second));
    NewJob third = job("q", "t", now());

    assertThat(dropping.insert(List.of(third)))
        .containsExactly(new InsertResult(third.id(), false, first.id()));
    Job dropped = dropping.get(first.id()).orElseThrow();
    assertThat(dropped.state()).isEqualTo(JobState.CANCELLED);
    assertThat(dropped.error()).isEqualTo("dropped");
    assertThat(dropping.counts().pendingByQueue()).containsEntry("q", 2L);
  }

  @Test
  void aRepeatedIdempotencyKeyOfTheSameOwnerReturnsTheHeldJobAndAnotherOwnerGetsItsOwn() {
    NewJob original = job("q", "t", now(), now(), 0, "tenant-a", "order-42");
    NewJob again = job("q", "t", now(), now(), 0, "tenant-a", "order-42");
    NewJob otherOwner = job("q", "t", now(), now(), 0, "tenant-b", "order-42");
    NewJob sameBatchTwice = job("q", "t", now(), now(), 0, "tenant-c", "k");
    NewJob sameBatchTwiceAgain = job("q", "t", now(), now(), 0, "tenant-c", "k");
    store.insert(List.of(original));

    List<InsertResult> results =
        store.insert(List.of(again, otherOwner, sameBatchTwice, sameBatchTwiceAgain));

    assertThat(results)
        .containsExactly(
            new InsertResult(original.id(), true, null),
            InsertResult.inserted(otherOwner.id()),
            InsertResult.inserted(sameBatchTwice.id()),
            new InsertResult(sameBatchTwice.id(), true, null));
    assertThat(store.get(again.id())).isEmpty();
    assertThat(store.counts().count(JobState.QUEUED)).isEqualTo(3);
  }

  @Test
  void claimsTakeHighestPriorityFirstThenOldestAndOnlyTheRequestedTypes() {
    NewJob low = job("q", "t", now(), now(), 1, null, null);
    NewJob highOld = job("q", "t", now(), now(), 7, null, null);
    NewJob highNew = job("q", "t", now(), now(), 7, null, null);
    NewJob otherType = job("q", "other", now(), now(), 9, null, null);
    store.insert(List.of(low, highNew, otherType, highOld));

    List<JobId> order = store.claim(claim(10, now(), "t")).stream().map(c -> c.job().id()).toList();

    assertThat(order).containsExactly(highOld.id(), highNew.id(), low.id());
    assertThat(store.get(otherType.id())).map(Job::state).contains(JobState.QUEUED);
  }

  @Test
  void claimsTakeFromEveryQueueInTurn() {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      jobs.add(job("busy", "t", now()));
    }
    NewJob quiet = job("quiet", "t", now());
    jobs.add(quiet);
    store.insert(jobs);

    List<String> queues =
        store.claim(claim(2, now(), "t")).stream().map(c -> c.job().queue()).toList();

    assertThat(queues).containsExactlyInAnyOrder("busy", "quiet");
  }

  @Test
  void aCompletionWithAStaleFencingTokenChangesNothingAfterTheJobWasRecoveredAndClaimedAgain() {
    NewJob submitted = job("q", "t", now());
    store.insert(List.of(submitted));
    ClaimedJob first = claimOne("t");
    clock.advance(Duration.ofSeconds(31));
    assertThat(store.recoverExpiredLeases(now(), 100)).isEqualTo(1);
    ClaimedJob second = claimOne("t");
    assertThat(second.token()).isGreaterThan(first.token());
    assertThat(second.job().attempts()).isEqualTo(2);

    assertThat(
            store.complete(
                List.of(Completion.succeeded(submitted.id(), first.token(), null, now()))))
        .containsExactly(false);
    HeartbeatResult beat =
        store.heartbeat(
            List.of(new LeaseRenewal(submitted.id(), first.token())), now().plusSeconds(30));
    assertThat(beat.lost()).containsExactly(submitted.id());
    assertThat(store.get(submitted.id())).map(Job::state).contains(JobState.RUNNING);
    assertThat(
            store.complete(
                List.of(Completion.succeeded(submitted.id(), second.token(), null, now()))))
        .containsExactly(true);
  }

  @Test
  void aHeartbeatExtendsTheLeaseSoRecoveryLeavesTheJobAloneAndReportsCancelRequests() {
    NewJob a = job("q", "t", now());
    NewJob b = job("q", "t", now());
    store.insert(List.of(a, b));
    List<ClaimedJob> claimed = store.claim(claim(2, now(), "t"));
    clock.advance(Duration.ofSeconds(20));
    assertThat(store.cancel(b.id(), "user asked", now())).isEqualTo(CancelResult.REQUESTED);

    Instant until = now().plusSeconds(30);
    HeartbeatResult beat =
        store.heartbeat(
            claimed.stream().map(c -> new LeaseRenewal(c.job().id(), c.token())).toList(), until);

    assertThat(beat.lost()).isEmpty();
    assertThat(beat.cancelRequested()).containsExactly(b.id());
    assertThat((long) runningScore(a.id())).isEqualTo(until.toEpochMilli());
    clock.advance(Duration.ofSeconds(20));
    assertThat(store.recoverExpiredLeases(now(), 100)).isZero();
  }

  @Test
  void anExpiredLeaseOnTheLastAttemptSendsTheJobToDeadWithErrorLeaseExpired() {
    NewJob oneShot =
        new NewJob(
            TestJobs.newId(now()), "q", "t", new byte[0], null, null, 0, 1, 1_000, now(), now());
    store.insert(List.of(oneShot));
    claimOne("t");
    clock.advance(Duration.ofMinutes(1));

    assertThat(store.recoverExpiredLeases(now(), 100)).isEqualTo(1);
    Job dead = store.get(oneShot.id()).orElseThrow();
    assertThat(dead.state()).isEqualTo(JobState.DEAD);
    assertThat(dead.error()).isEqualTo("lease expired");
    assertThat(store.counts().count(JobState.RUNNING)).isZero();
  }

  @Test
  void aDelayedJobWaitsAsScheduledUntilPromotedAtItsRunAt() {
    Instant runAt = now().plusSeconds(60);
    NewJob later = job("q", "t", now(), runAt, 0, null, null);
    store.insert(List.of(later));
    assertThat(store.get(later.id())).map(Job::state).contains(JobState.SCHEDULED);
    assertThat(store.nextRunAt()).contains(runAt);
    assertThat(store.promoteDue(now(), 10)).isZero();
    assertThat(store.claim(claim(1, now(), "t"))).isEmpty();

    clock.advance(Duration.ofSeconds(60));
    assertThat(store.promoteDue(now(), 10)).isEqualTo(1);
    assertThat(store.nextRunAt()).isEmpty();
    assertThat(claimOne("t").job().id()).isEqualTo(later.id());
  }

  @Test
  void aRetryGoesBackToScheduledAndAReleaseGivesTheAttemptBack() {
    NewJob retried = job("q", "t", now());
    NewJob released = job("q", "u", now());
    store.insert(List.of(retried, released));
    ClaimedJob r1 = claimOne("t");
    ClaimedJob r2 = claimOne("u");
    Instant retryAt = now().plusSeconds(2);

    assertThat(
            store.complete(
                List.of(
                    Completion.retry(retried.id(), r1.token(), "boom", retryAt, now()),
                    Completion.released(released.id(), r2.token(), now()))))
        .containsExactly(true, true);

    Job scheduled = store.get(retried.id()).orElseThrow();
    assertThat(scheduled.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(scheduled.error()).isEqualTo("boom");
    assertThat(scheduled.runAt()).isEqualTo(retryAt);
    Job queued = store.get(released.id()).orElseThrow();
    assertThat(queued.state()).isEqualTo(JobState.QUEUED);
    assertThat(queued.attempts()).isZero();
    assertThat(store.counts().pendingByQueue()).containsEntry("q", 2L);
  }

  @Test
  void cancellingAPendingJobFinishesItAndCancellingAFinishedOneChangesNothing() {
    NewJob pending = job("q", "t", now());
    store.insert(List.of(pending));
    assertThat(store.cancel(pending.id(), "not needed", now())).isEqualTo(CancelResult.CANCELLED);
    assertThat(store.get(pending.id()).orElseThrow().error()).isEqualTo("not needed");
    assertThat(store.cancel(pending.id(), "again", now())).isEqualTo(CancelResult.ALREADY_FINISHED);
    assertThat(store.cancel(TestJobs.newId(now()), "x", now())).isEqualTo(CancelResult.NOT_FOUND);
    assertThat(store.claim(claim(1, now(), "t"))).isEmpty();
    assertThat(store.counts().pendingByQueue()).isEmpty();
  }

  @Test
  void aDeadJobCanBeRequeuedWithAttemptsResetOrDeleted() {
    NewJob a = job("q", "t", now());
    NewJob b = job("q", "t", now());
    store.insert(List.of(a, b));
    for (ClaimedJob c : store.claim(claim(2, now(), "t"))) {
      store.complete(List.of(Completion.dead(c.job().id(), c.token(), "bad input", now())));
    }
    byte[] record = RedisTestSupport.bytes(PREFIX + "j:");
    byte[] recordOfA = java.util.Arrays.copyOf(record, record.length + 16);
    System.arraycopy(Ids.bytes(a.id()), 0, recordOfA, record.length, 16);
    assertThat(KEYS.redis().redis.pttl(recordOfA)).as("a dead record expires").isPositive();

    assertThat(store.requeueDead(a.id(), now())).isTrue();
    Job requeued = store.get(a.id()).orElseThrow();
    assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
    assertThat(requeued.attempts()).isZero();
    assertThat(KEYS.redis().redis.pttl(recordOfA)).as("a requeued record does not").isEqualTo(-1L);
    assertThat(store.requeueDead(a.id(), now())).isFalse();
    assertThat(store.deleteDead(b.id())).isTrue();
    assertThat(store.get(b.id())).isEmpty();
    assertThat(store.counts().count(JobState.DEAD)).isZero();
  }

  @Test
  void purgeDeadDeletesEveryDeadJob() {
    List<NewJob> jobs = IntStream.range(0, 5).mapToObj(i -> job("q", "t", now())).toList();
    store.insert(jobs);
    for (ClaimedJob c : store.claim(claim(5, now(), "t"))) {
      store.complete(List.of(Completion.dead(c.job().id(), c.token(), "bad", now())));
    }
    assertThat(store.purgeDead()).isEqualTo(5);
    assertThat(KEYS.redis().keyCount(PREFIX)).isZero();
  }

  @Test
  void listReturnsJobsNewestFirstPageByPageAcrossStates() {
    List<NewJob> jobs = IntStream.range(0, 7).mapToObj(i -> job("q", "t", now())).toList();
    store.insert(jobs);
    ClaimedJob c = claimOne("t");
    store.complete(List.of(Completion.succeeded(c.job().id(), c.token(), null, now())));
    claimOne("t");

    List<JobId> seen = new ArrayList<>();
    JobQuery query = JobQuery.all(3);
    JobPage page;
    do {
      page = store.list(query);
      page.jobs().forEach(j -> seen.add(j.id()));
      query = query.withCursor(page.nextCursor());
    } while (page.nextCursor() != null);

    List<JobId> expected = new ArrayList<>(jobs.stream().map(NewJob::id).toList());
    java.util.Collections.reverse(expected);
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(store.list(JobQuery.inState(JobState.SUCCEEDED, 10)).jobs())
        .extracting(Job::id)
        .containsExactly(jobs.get(0).id());
  }

  @Test
  void purgeByTheEngineClockRemovesAgedFinishedRecordsAndTheirIndexEntries() {
    List<NewJob> jobs = IntStream.range(0, 4).mapToObj(i -> job("q", "t", now())).toList();
    store.insert(jobs);
    for (ClaimedJob c : store.claim(claim(4, now(), "t"))) {
      store.complete(List.of(Completion.succeeded(c.job().id(), c.token(), null, now())));
    }
    assertThat(store.purge(now().plus(Duration.ofMinutes(59)), 100)).isEqualTo(PurgeResult.NONE);

    clock.advance(Duration.ofHours(1));
    PurgeResult first = store.purge(now(), 3);
    PurgeResult second = store.purge(now(), 3);

    assertThat(first).isEqualTo(new PurgeResult(3, 0, true));
    assertThat(second).isEqualTo(new PurgeResult(1, 0, false));
    assertThat(KEYS.redis().keyCount(PREFIX)).isZero();
  }

  @Test
  void theCountBoundEvictsTheOldestFinishedJobsAsSoonAsItIsExceeded() {
    RedisJobStore bounded =
        open(
            RedisTestSupport.context(
                clock, q -> QueueConfig.reject(100), new RetentionPolicy(Duration.ofHours(1), 2)),
            b -> {});
    List<NewJob> jobs = IntStream.range(0, 4).mapToObj(i -> job("q", "t", now())).toList();
    bounded.insert(jobs);
    for (ClaimedJob c : bounded.claim(claim(4, now(), "t"))) {
      clock.advance(Duration.ofSeconds(1));
      bounded.complete(List.of(Completion.succeeded(c.job().id(), c.token(), null, now())));
    }
    Set<JobId> kept =
        jobs.stream()
            .map(NewJob::id)
            .filter(id -> bounded.get(id).isPresent())
            .collect(Collectors.toSet());
    assertThat(kept).containsExactlyInAnyOrder(jobs.get(2).id(), jobs.get(3).id());
    assertThat(bounded.counts().count(JobState.SUCCEEDED)).isEqualTo(2);
  }

  @Test
  void evictingAFinishedJobDeletesItsIdempotencyKeySoTheKeyCanBeUsedAgain() {
    RedisJobStore bounded =
        open(
            RedisTestSupport.context(
                clock, q -> QueueConfig.reject(100), new RetentionPolicy(Duration.ofHours(1), 1)),
            b -> {});
    NewJob first = job("q", "t", now(), now(), 0, "tenant", "k1");
    NewJob second = job("q", "t", now(), now(), 0, "tenant", "k2");
    bounded.insert(List.of(first, second));
    for (ClaimedJob c : bounded.claim(claim(2, now(), "t"))) {
      clock.advance(Duration.ofSeconds(1));
      bounded.complete(List.of(Completion.succeeded(c.job().id(), c.token(), null, now())));
    }

    assertThat(bounded.get(first.id())).isEmpty();
    assertThat(KEYS.redis().keyCount(PREFIX))
        .as("the second job's record, its idempotency key, the index and the eviction counter")
        .isEqualTo(4);
    NewJob again = job("q", "t", now(), now(), 0, "tenant", "k1");
    assertThat(bounded.insert(List.of(again))).containsExactly(InsertResult.inserted(again.id()));
  }
}
