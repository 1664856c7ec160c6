package dev.plimsoll.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.Job;
import dev.plimsoll.JobState;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.QueueFullException;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.spi.CancelResult;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.HeartbeatResult;
import dev.plimsoll.spi.InsertResult;
import dev.plimsoll.spi.LeaseRenewal;
import dev.plimsoll.spi.NewJob;
import dev.plimsoll.spi.PurgeResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Store-level behaviour of the JDBC store that the SPI contract leaves to durable stores: leases,
 * fencing, the capacity counter, idempotency keys across both tables, bounded finished rows and
 * migrations. One subclass per dialect says how to build a store on a fresh database.
 */
abstract class JdbcStoreBehaviour {
  static final Duration LEASE = Duration.ofSeconds(30);

  StoreFixture fixture;
  JdbcJobStore store;

  /** A store on an empty database, not yet opened; same database on every call in one test. */
  abstract JdbcJobStore newStore();

  /** Empties the database before each test. */
  abstract void resetDatabase();

  /** A plain connection to the test database, outside the store (auto-commit on). */
  abstract Connection rawConnection() throws SQLException;

  void sql(String statement) {
    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  List<Integer> schemaVersions() {
    List<Integer> versions = new ArrayList<>();
    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM plimsoll_schema_version ORDER BY 1")) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return versions;
  }

  /** 1 up to the version this build knows. */
  static List<Integer> everySchemaVersion() {
    return java.util.stream.IntStream.rangeClosed(1, JdbcJobStore.schemaVersion()).boxed().toList();
  }

  @BeforeEach
  void openStore() {
    resetDatabase();
    fixture = new StoreFixture();
    store = open();
  }

  JdbcJobStore open() {
    JdbcJobStore s = newStore();
    s.open(fixture.context());
    return s;
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  ClaimRequest claim(int max, String... types) {
    return new ClaimRequest(max, Set.of(types), "node-a", fixture.clock.instant(), LEASE);
  }

  Instant now() {
    return fixture.clock.instant();
  }

  @Test
  void aClaimMovesTheOldestHighestPriorityJobsToRunningWithAFreshTokenAndLease() {
    NewJob low = fixture.job("q", "t");
    NewJob high = fixture.job("q", "t", 5, null, null, Duration.ZERO);
    NewJob other = fixture.job("q", "other");
    store.insert(List.of(low, high, other));

    List<ClaimedJob> claimed = store.claim(claim(10, "t"));

    assertThat(claimed).extracting(cj -> cj.job().id()).containsExactly(high.id(), low.id());
    assertThat(claimed)
        .allSatisfy(
            cj -> {
              assertThat(cj.job().state()).isEqualTo(JobState.RUNNING);
              assertThat(cj.job().attempts()).isEqualTo(1);
              assertThat(cj.leaseUntil()).isEqualTo(now().plus(LEASE));
            });
    assertThat(store.get(other.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    assertThat(store.claim(claim(10, "t"))).isEmpty();
    assertThat(store.counts().pendingByQueue()).containsEntry("q", 1L);
  }

  @Test
  void aClaimTakesJobsRoundRobinAcrossQueuesSoASmallQueueIsNotStarvedBehindABigOne() {
    List<NewJob> big = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      big.add(fixture.job("big", "t"));
    }
    store.insert(big);
    List<NewJob> small = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      small.add(fixture.job("small", "t"));
    }
    store.insert(small);

    List<ClaimedJob> claimed = store.claim(claim(20, "t"));

    assertThat(claimed).hasSize(20);
    assertThat(claimed)
        .filteredOn(cj -> cj.job().queue().equals("small"))
        .extracting(cj -> cj.job().id())
        .containsExactlyElementsOf(small.stream().map(NewJob::id).toList());
    assertThat(claimed)
        .filteredOn(cj -> cj.job().queue().equals("big"))
        .extracting(cj -> cj.job().id())
        .containsExactlyElementsOf(big.subList(0, 10).stream().map(NewJob::id).toList());
    for (int round = 0; round < 10; round++) {
      assertThat(
              List.of(
                  claimed.get(2 * round).job().queue(), claimed.get(2 * round + 1).job().queue()))
          .as("round %d takes one job of each queue", round)
          .containsExactlyInAnyOrder("big", "small");
    }
    assertThat(store.counts().pendingByQueue()).containsOnly(Map.entry("big", 990L));
    assertThat(store.claim(claim(20, "t")))
        .extracting(cj -> cj.job().id())
        .containsExactlyElementsOf(big.subList(10, 30).stream().map(NewJob::id).toList());
  }

  @Test
  void singleJobClaimsRotateAcrossQueuesSoNoQueueIsAlwaysServedFirst() {
    List<NewJob> jobs = new ArrayList<>();
    for (String queue : List.of("a", "b", "c")) {
      for (int i = 0; i < 4; i++) {
        jobs.add(fixture.job(queue, "t"));
      }
    }
    store.insert(jobs);

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      order.add(store.claim(claim(1, "t")).get(0).job().queue());
    }

    for (int i = 0; i < 12; i += 3) {
      assertThat(order.subList(i, i + 3))
          .as("claims %d..%d", i, i + 2)
          .containsExactlyInAnyOrder("a", "b", "c");
    }
    assertThat(store.claim(claim(1, "t"))).isEmpty();
  }

  @Test
  void aJobWhoseLeaseExpiredReturnsToTheQueueWithItsAttemptCountedAndALateCompletionIsANoOp() {
    NewJob job = fixture.job("q", "t");
    store.insert(List.of(job));
    ClaimedJob first = store.claim(claim(1, "t")).get(0);

    fixture.clock.advance(LEASE.plusSeconds(1));
    assertThat(store.recoverExpiredLeases(now(), 100)).isEqualTo(1);
    Job back = store.get(job.id()).orElseThrow();
    assertThat(back.state()).isEqualTo(JobState.QUEUED);
    assertThat(back.attempts()).isEqualTo(1);

    ClaimedJob second = store.claim(claim(1, "t")).get(0);
    assertThat(second.token()).isNotEqualTo(first.token());
    assertThat(second.job().attempts()).isEqualTo(2);

    boolean[] late =
        store.complete(List.of(Completion.succeeded(job.id(), first.token(), null, now())));
    assertThat(late).containsExactly(false);
    assertThat(store.get(job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    HeartbeatResult stale =
        store.heartbeat(List.of(new LeaseRenewal(job.id(), first.token())), now().plus(LEASE));
    assertThat(stale.lost()).containsExactly(job.id());

    boolean[] current =
        store.complete(
            List.of(Completion.succeeded(job.id(), second.token(), new byte[] {7}, now())));
    assertThat(current).containsExactly(true);
    Job done = store.get(job.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.result()).containsExactly(7);
  }

  @Test
  void aJobWhoseLastAttemptLostItsLeaseGoesDeadWithTheReason() {
    NewJob job = new NewJob(fixture.newId(), "q", "t", null, null, null, 0, 1, 1_000, now(), now());
    store.insert(List.of(job));
    store.claim(claim(1, "t"));

    fixture.clock.advance(LEASE.plusMillis(1));
    assertThat(store.recoverExpiredLeases(now(), 100)).isEqualTo(1);

    Job dead = store.get(job.id()).orElseThrow();
    assertThat(dead.state()).isEqualTo(JobState.DEAD);
    assertThat(dead.error()).isEqualTo("lease expired");
  }

  @Test
  void aHeartbeatExtendsTheLeaseSoTheJobIsNotRecoveredAndReportsCancellation() {
    NewJob job = fixture.job("q", "t");
    store.insert(List.of(job));
    ClaimedJob claimed = store.claim(claim(1, "t")).get(0);

    fixture.clock.advance(Duration.ofSeconds(20));
    HeartbeatResult beat =
        store.heartbeat(List.of(new LeaseRenewal(job.id(), claimed.token())), now().plus(LEASE));
    assertThat(beat.lost()).isEmpty();
    assertThat(beat.cancelRequested()).isEmpty();

    fixture.clock.advance(Duration.ofSeconds(20));
    assertThat(store.recoverExpiredLeases(now(), 100)).isZero();

    assertThat(store.cancel(job.id(), "user", now())).isEqualTo(CancelResult.REQUESTED);
    beat = store.heartbeat(List.of(new LeaseRenewal(job.id(), claimed.token())), now().plus(LEASE));
    assertThat(beat.cancelRequested()).containsExactly(job.id());
  }

  @Test
  void aFullQueueRejectsTheWholeBatchWithQueueFullExceptionAndChangesNothing() {
    fixture.queues.put("small", QueueConfig.reject(3));
    store.insert(List.of(fixture.job("small", "t"), fixture.job("small", "t")));

    List<NewJob> tooMany =
        List.of(fixture.job("other", "t"), fixture.job("small", "t"), fixture.job("small", "t"));
    assertThatThrownBy(() -> store.insert(tooMany))
        .isInstanceOf(QueueFullException.class)
        .hasMessageContaining("'small'")
        .hasMessageContaining("capacity 3");

    assertThat(store.counts().pendingByQueue())
        .containsExactlyEntriesOf(java.util.Map.of("small", 2L));
    assertThat(store.get(tooMany.get(0).id())).isEmpty();
    store.insert(List.of(fixture.job("small", "t")));
    assertThat(store.counts().pendingByQueue()).containsEntry("small", 3L);
  }

  @Test
  void claimedAndFinishedJobsFreeTheirPlaceInTheQueue() {
    fixture.queues.put("small", QueueConfig.reject(2));
    store.insert(List.of(fixture.job("small", "t"), fixture.job("small", "t")));
    ClaimedJob running = store.claim(claim(1, "t")).get(0);

    store.insert(List.of(fixture.job("small", "t")));
    assertThatThrownBy(() -> store.insert(List.of(fixture.job("small", "t"))))
        .isInstanceOf(QueueFullException.class);

    store.complete(
        List.of(
            Completion.retry(
                running.job().id(), running.token(), "boom", now().plusSeconds(1), now())));
    assertThat(store.counts().pendingByQueue()).containsEntry("small", 3L);
  }

  @Test
  void aDropOldestQueueCancelsItsOldestPendingJobToAdmitANewOne() {
    fixture.queues.put("feed", QueueConfig.dropOldest(2));
    NewJob oldest = fixture.job("feed", "t");
    store.insert(List.of(oldest, fixture.job("feed", "t")));

    NewJob newest = fixture.job("feed", "t");
    InsertResult result = store.insert(List.of(newest)).get(0);

    assertThat(result.dropped()).isEqualTo(oldest.id());
    Job dropped = store.get(oldest.id()).orElseThrow();
    assertThat(dropped.state()).isEqualTo(JobState.CANCELLED);
    assertThat(dropped.error()).isEqualTo("dropped");
    assertThat(store.counts().pendingByQueue()).containsEntry("feed", 2L);
  }

  @Test
  void aSecondJobWithTheSameOwnerAndKeyReturnsTheFirstUntilTheFirstIsPurged() {
    fixture.finishedRetention = new RetentionPolicy(Duration.ofMinutes(1), 100);
    store.close();
    store = open();
    NewJob first = fixture.job("q", "t", 0, "acme", "order-1", Duration.ZERO);
    NewJob sameKeyOtherOwner = fixture.job("q", "t", 0, "globex", "order-1", Duration.ZERO);
    store.insert(List.of(first, sameKeyOtherOwner));

    NewJob again = fixture.job("q", "t", 0, "acme", "order-1", Duration.ZERO);
    InsertResult dup = store.insert(List.of(again)).get(0);
    assertThat(dup.duplicate()).isTrue();
    assertThat(dup.id()).isEqualTo(first.id());
    assertThat(store.get(again.id())).isEmpty();

    List<ClaimedJob> claimed = store.claim(claim(10, "t"));
    List<Completion> done = new ArrayList<>();
    claimed.forEach(cj -> done.add(Completion.succeeded(cj.job().id(), cj.token(), null, now())));
    store.complete(done);
    assertThat(store.insert(List.of(again)).get(0).duplicate()).isTrue();

    fixture.clock.advance(Duration.ofMinutes(2));
    assertThat(store.purge(now(), 100).finished()).isEqualTo(2);
    InsertResult fresh = store.insert(List.of(again)).get(0);
    assertThat(fresh.duplicate()).isFalse();
    assertThat(fresh.id()).isEqualTo(again.id());
  }

  @Test
  void afterOneHundredThousandJobsRetentionKeepsAtMostItsCountOfFinishedRows() {
    int keep = 1_000;
    fixture.finishedRetention = new RetentionPolicy(Duration.ofHours(1), keep);
    store.close();
    store = open();
    int total = 100_000;
    int batch = 2_000;
    for (int done = 0; done < total; done += batch) {
      List<NewJob> jobs = new ArrayList<>(batch);
      for (int i = 0; i < batch; i++) {
        jobs.add(fixture.job("bulk", "t"));
      }
      store.insert(jobs);
      List<ClaimedJob> claimed = store.claim(claim(batch, "t"));
      List<Completion> completions = new ArrayList<>(claimed.size());
      for (ClaimedJob cj : claimed) {
        completions.add(Completion.succeeded(cj.job().id(), cj.token(), null, now()));
      }
      assertThat(store.complete(completions)).doesNotContain(false);
      fixture.clock.advance(Duration.ofMillis(10));
      PurgeResult purged;
      do {
        purged = store.purge(now(), 5_000);
      } while (purged.more());
    }

    assertThat(store.counts().count(JobState.SUCCEEDED)).isEqualTo(keep);
    assertThat(store.counts().total()).isEqualTo(keep);
  }

  /** Finishes {@code n} jobs of type t in queue q as dead, one clock step apart, oldest first. */
  private List<NewJob> finishDead(int n) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NewJob job = fixture.job("q", "t");
      store.insert(List.of(job));
      ClaimedJob cj = store.claim(claim(1, "t")).get(0);
      assertThat(store.complete(List.of(Completion.dead(cj.job().id(), cj.token(), "x", now()))))
          .containsExactly(true);
      jobs.add(job);
      fixture.clock.advance(Duration.ofMillis(1));
    }
    return jobs;
  }

  @Test
  void purgingInSmallBatchesUnderOneFoundCutoffKeepsExactlyTheNewestCount() {
    fixture.finishedRetention = new RetentionPolicy(Duration.ofHours(1), 50);
    store.close();
    store = open();
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      jobs.add(fixture.job("q", "t"));
    }
    store.insert(jobs);
    List<Completion> done = new ArrayList<>();
    for (ClaimedJob cj : store.claim(claim(500, "t"))) {
      done.add(Completion.succeeded(cj.job().id(), cj.token(), null, now()));
      fixture.clock.advance(Duration.ofMillis(1)); // each finishes at its own time, oldest first
    }
    store.complete(done);
    fixture.clock.advance(Duration.ofSeconds(1));

    long purged = 0;
    PurgeResult r;
    int passes = 0;
    do {
      r = store.purge(now(), 7);
      purged += r.finished();
      passes++;
    } while (r.more());

    assertThat(purged).isEqualTo(450);
    assertThat(passes).isGreaterThanOrEqualTo(450 / 7);
    assertThat(store.counts().count(JobState.SUCCEEDED)).isEqualTo(50);
    for (int i = 0; i < 500; i++) {
      boolean kept = i >= 450;
      assertThat(store.get(jobs.get(i).id()).isPresent()).as("job %d kept", i).isEqualTo(kept);
    }
    // new rows beyond the count are found by a fresh search once the old cutoff is used up
    store.insert(List.of(fixture.job("q", "t"), fixture.job("q", "t")));
    for (ClaimedJob cj : store.claim(claim(2, "t"))) {
      store.complete(List.of(Completion.succeeded(cj.job().id(), cj.token(), null, now())));
    }
    assertThat(store.purge(now(), 7).finished()).isEqualTo(2);
    assertThat(store.counts().count(JobState.SUCCEEDED)).isEqualTo(50);
  }

  @Test
  void deadJobsRemovedByHandDuringAPurgeDoNotMakeRetentionKeepFewerThanItsCount() {
    fixture.deadRetention = new RetentionPolicy(Duration.ofDays(1), 3);
    store.close();
    store = open();
    List<NewJob> dead = finishDead(10);

    assertThat(store.purge(now(), 2).dead()).isEqualTo(2); // d0, d1: stopped by the batch
    assertThat(store.deleteDead(dead.get(9).id())).isTrue();
    assertThat(store.requeueDead(dead.get(8).id(), now())).isTrue();
    PurgeResult r;
    do {
      r = store.purge(now(), 2);
    } while (r.more());

    // the three newest dead jobs left are d5, d6, d7: a cutoff kept from before the removals
    // (the fourth newest then, d6) would have purged d5 and d6 too
    assertThat(store.counts().count(JobState.DEAD)).isEqualTo(3);
    for (int i = 0; i < 8; i++) {
      boolean kept = i >= 5;
      assertThat(store.get(dead.get(i).id()).isPresent()).as("dead job %d kept", i).isEqualTo(kept);
    }
  }

  @Test
  void reopeningAppliesNoMigrationTwiceAndRecordsTheVersion() {
    store.close();
    store = open();
    store.close();
    store = open();
    assertThat(schemaVersions()).containsExactlyElementsOf(everySchemaVersion());
  }

  @Test
  void aDatabaseAtSchemaVersionOneMigratesKeepingItsPendingCountsAndJobs() throws Exception {
    store.close();
    store = null;
    resetDatabase();
    String dialect = this instanceof PostgresStoreBehaviourTest ? "postgresql" : "sqlite";
    String v1;
    try (var in =
        getClass()
            .getClassLoader()
            .getResourceAsStream("dev/plimsoll/jdbc/migrations/" + dialect + "/V001__init.sql")) {
      v1 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      for (String statement : v1.replaceAll("(?m)^--.*$", "").split(";\\s*\\n")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
      s.execute(
          "CREATE TABLE plimsoll_schema_version (version INTEGER PRIMARY KEY,"
              + " description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      s.execute("INSERT INTO plimsoll_schema_version VALUES (1, 'V001__init.sql', 0)");
      for (int i = 1; i <= 3; i++) {
        s.execute(
            "INSERT INTO plimsoll_jobs (id_hi, id_lo, queue, type, priority, state, attempts,"
                + " max_attempts, timeout_ms, created_at, run_at, updated_at) VALUES ("
                + i
                + ", "
                + i
                + ", 'old', 't', 0, 1, 0, 3, 1000, 0, 0, 0)");
      }
      s.execute("INSERT INTO plimsoll_queue_pending (queue, pending) VALUES ('old', 3)");
    }

    store = open();

    assertThat(schemaVersions()).containsExactlyElementsOf(everySchemaVersion());
    assertThat(store.counts().pendingByQueue()).containsOnly(Map.entry("old", 3L));
    assertThat(store.claim(claim(10, "t"))).hasSize(3);
    assertThat(store.counts().pendingByQueue()).isEmpty();
  }

  @Test
  void aStoreMeetingANewerSchemaRefusesToStartWithAClearError() {
    store.close();
    store = null;
    sql(
        "INSERT INTO plimsoll_schema_version (version, description, applied_at)"
            + " VALUES (999, 'V999__future.sql', 0)");
    JdbcJobStore newer = newStore();
    assertThatThrownBy(() -> newer.open(fixture.context()))
        .isInstanceOf(SchemaVersionException.class)
        .hasMessageContaining("version 999")
        .hasMessageContaining("newer than version " + JdbcJobStore.schemaVersion())
        .hasMessageContaining("upgrade Plimsoll");
    newer.close();
  }

  @Test
  void aDeadJobCanBeRequeuedWithAttemptsResetOrDeleted() {
    NewJob job = fixture.job("q", "t");
    NewJob other = fixture.job("q", "t");
    store.insert(List.of(job, other));
    for (ClaimedJob cj : store.claim(claim(2, "t"))) {
      store.complete(List.of(Completion.dead(cj.job().id(), cj.token(), "bad", now())));
    }
    assertThat(store.requeueDead(job.id(), now())).isTrue();
    Job back = store.get(job.id()).orElseThrow();
    assertThat(back.state()).isEqualTo(JobState.QUEUED);
    assertThat(back.attempts()).isZero();
    assertThat(store.counts().pendingByQueue()).containsEntry("q", 1L);

    assertThat(store.deleteDead(job.id())).isFalse();
    assertThat(store.deleteDead(other.id())).isTrue();
    assertThat(store.get(other.id())).isEmpty();
  }
}
