package dev.plimsoll.engine;

import static dev.plimsoll.engine.Engines.bytes;
import static dev.plimsoll.engine.Engines.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.BreakerConfig;
import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineBuilder;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.HealthStatus;
import dev.plimsoll.InvalidJobException;
import dev.plimsoll.Job;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobEvent;
import dev.plimsoll.JobId;
import dev.plimsoll.JobOutcome;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.LeaseStatus;
import dev.plimsoll.RemoteClaim;
import dev.plimsoll.RemoteLease;
import dev.plimsoll.RemoteWorkers;
import dev.plimsoll.SettableClock;
import dev.plimsoll.ShutdownMode;
import dev.plimsoll.internal.engine.Engine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RemoteWorkersTest {
  private static final Duration LEASE = Duration.ofSeconds(10);

  private final SettableClock clock = SettableClock.atFixedStart();
  private final List<JobEvent> events = Collections.synchronizedList(new ArrayList<>());
  private JobEngine engine;
  private RemoteWorkers remote;

  private void start(Consumer<EngineBuilder> config) {
    EngineBuilder b =
        Engines.builder(clock)
            .concurrency(1)
            .lease(LEASE)
            .acceptTypesWithoutHandler(true)
            .handler("local", ctx -> null)
            .listener(events::add);
    config.accept(b);
    engine = b.start();
    remote = engine.remoteWorkers();
  }

  private void start() {
    start(b -> {});
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.shutdown(ShutdownMode.CANCEL_PENDING, Duration.ZERO);
    }
  }

  private static RemoteClaim claim(String type, int max, Duration wait) {
    return new RemoteClaim("worker-1", Set.of(type), max, wait);
  }

  private List<RemoteLease> claimNow(String type, int max) throws Exception {
    return remote.claim(claim(type, max, Duration.ZERO)).get(5, TimeUnit.SECONDS);
  }

  private RemoteLease claimOne(String type) throws Exception {
    List<RemoteLease> got = claimNow(type, 1);
    assertThat(got).hasSize(1);
    return got.get(0);
  }

  private Job job(JobId id) {
    return engine.get(id).orElseThrow();
  }

  private void awaitState(JobId id, JobState state) {
    await().atMost(Duration.ofSeconds(10)).until(() -> job(id).state() == state);
  }

  /** Waits for a listener event, told after the store, counters and waiters are updated. */
  private void awaitEvent(JobId id, JobEvent.Kind kind) {
    await().atMost(Duration.ofSeconds(10)).until(() -> kindsOf(id).contains(kind));
  }

  private List<JobEvent.Kind> kindsOf(JobId id) {
    synchronized (events) {
      return events.stream().filter(e -> id.equals(e.id())).map(JobEvent::kind).toList();
    }
  }

  // ------------------------------------------------------------------ claiming

  @Test
  void aClaimReturnsQueuedJobsRunningWithFreshTokensAndTheirAttemptCounted() throws Exception {
    start();
    JobId a = engine.submit(JobRequest.of("remote", bytes("a")));
    JobId b = engine.submit(JobRequest.of("remote", bytes("b")));
    engine.submit(JobRequest.of("other", bytes("c")));

    List<RemoteLease> got = claimNow("remote", 10);

    assertThat(got).extracting(l -> l.job().id()).containsExactlyInAnyOrder(a, b);
    assertThat(got).extracting(RemoteLease::token).doesNotHaveDuplicates();
    for (RemoteLease l : got) {
      assertThat(l.job().state()).isEqualTo(JobState.RUNNING);
      assertThat(l.job().attempts()).isEqualTo(1);
      assertThat(l.leaseUntil()).isEqualTo(clock.instant().plus(LEASE));
      assertThat(job(l.job().id()).state()).isEqualTo(JobState.RUNNING);
    }
    assertThat(got.stream().map(l -> text(l.job().payload()))).containsExactlyInAnyOrder("a", "b");
    assertThat(remote.activeLeases()).isEqualTo(2);
    assertThat(engine.stats().remoteLeases()).isEqualTo(2);
    assertThat(engine.stats().running()).as("running counts this engine's workers").isZero();
    assertThat(engine.stats().countsByState()).containsEntry(JobState.RUNNING, 2L);
    assertThat(engine.stats().queuedTasks()).isEqualTo(1);
    assertThat(kindsOf(a)).containsExactly(JobEvent.Kind.SUBMITTED, JobEvent.Kind.STARTED);
  }

  @Test
  void aClaimTakesAtMostItsMaxAndLeavesTheRestQueued() throws Exception {
    start();
    for (int i = 0; i < 5; i++) {
      engine.submit(JobRequest.of("remote", null));
    }
    assertThat(claimNow("remote", 3)).hasSize(3);
    assertThat(engine.stats().countsByState()).containsEntry(JobState.QUEUED, 2L);
  }

  @Test
  void aClaimWithNoWaitAnswersAtOnceWithAnEmptyListWhenNothingIsQueued() throws Exception {
    start();
    CompletableFuture<List<RemoteLease>> f = remote.claim(claim("remote", 5, Duration.ZERO));
    assertThat(f).isCompletedWithValue(List.of());
    assertThat(((Engine) engine).parkedClaims()).isZero();
  }

  @Test
  void aParkedClaimCompletesWhenAJobOfItsTypeIsSubmittedLater() throws Exception {
    start();
    CompletableFuture<List<RemoteLease>> f =
        remote.claim(claim("remote", 5, Duration.ofSeconds(30)));
    assertThat(f).isNotDone();
    assertThat(engine.stats().parkedClaims()).isEqualTo(1);

    engine.submit(JobRequest.of("other", null));
    JobId id = engine.submit(JobRequest.of("remote", bytes("late")));

    List<RemoteLease> got = f.get(10, TimeUnit.SECONDS);
    assertThat(got).extracting(l -> l.job().id()).containsExactly(id);
    assertThat(job(id).state()).isEqualTo(JobState.RUNNING);
    assertThat(((Engine) engine).parkedClaims()).isZero();
    assertThat(kindsOf(id)).contains(JobEvent.Kind.STARTED);
  }

  @Test
  void aParkedClaimCompletesWhenADelayedJobBecomesDue() throws Exception {
    start();
    JobId id = engine.submit(JobRequest.builder("remote").delay(Duration.ofSeconds(5)).build());
    CompletableFuture<List<RemoteLease>> f =
        remote.claim(claim("remote", 1, Duration.ofSeconds(60)));
    assertThat(f).isNotDone();

    clock.advance(Duration.ofSeconds(5));

    assertThat(f.get(10, TimeUnit.SECONDS)).extracting(l -> l.job().id()).containsExactly(id);
  }

  @Test
  void aParkedClaimCompletesEmptyAtItsDeadline() throws Exception {
    start();
    CompletableFuture<List<RemoteLease>> f =
        remote.claim(claim("remote", 5, Duration.ofSeconds(20)));
    clock.advance(Duration.ofSeconds(19));
    engine.submit(JobRequest.of("other", null)); // a wake-up that serves nothing
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !f.isDone());

    clock.advance(Duration.ofSeconds(1));

    assertThat(f.get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(((Engine) engine).parkedClaims()).isZero();
  }

  @Test
  void parkedClaimsAreServedOldestFirst() throws Exception {
    start();
    CompletableFuture<List<RemoteLease>> first =
        remote.claim(claim("remote", 1, Duration.ofSeconds(30)));
    CompletableFuture<List<RemoteLease>> second =
        remote.claim(claim("remote", 1, Duration.ofSeconds(30)));
    JobId a = engine.submit(JobRequest.of("remote", null));
    assertThat(first.get(10, TimeUnit.SECONDS)).extracting(l -> l.job().id()).containsExactly(a);
    assertThat(second).isNotDone();
    JobId b = engine.submit(JobRequest.of("remote", null));
    assertThat(second.get(10, TimeUnit.SECONDS)).extracting(l -> l.job().id()).containsExactly(b);
  }

  @Test
  void aCallerThatGivesUpFreesItsParkedPlaceAndTheJobStaysQueued() throws Exception {
    start(b -> b.maxParkedClaims(1));
    CompletableFuture<List<RemoteLease>> f =
        remote.claim(claim("remote", 1, Duration.ofSeconds(30)));
    f.cancel(false);
    assertThat(((Engine) engine).parkedClaims()).isZero();

    CompletableFuture<List<RemoteLease>> again =
        remote.claim(claim("remote", 1, Duration.ofSeconds(30)));
    JobId id = engine.submit(JobRequest.of("remote", null));
    assertThat(again.get(10, TimeUnit.SECONDS)).extracting(l -> l.job().id()).containsExactly(id);
  }

  @Test
  void aJobSubmittedBetweenAClaimsEmptyLookAndItsParkingIsNotMissed() throws Exception {
    // The store runs the submission right after the claim's look found nothing: its wake-up
    // comes before the claim is parked, and the fallback poll is a minute away.
    java.util.concurrent.atomic.AtomicReference<Runnable> afterEmptyClaim =
        new java.util.concurrent.atomic.AtomicReference<>();
    dev.plimsoll.spi.JobStore store =
        new dev.plimsoll.spi.ForwardingJobStore(new dev.plimsoll.memory.InMemoryJobStore()) {
          @Override
          public List<dev.plimsoll.spi.ClaimedJob> claim(dev.plimsoll.spi.ClaimRequest request) {
            List<dev.plimsoll.spi.ClaimedJob> got = super.claim(request);
            // Only the remote claim's empty look takes the hook: the local worker's own claims
            // (types {"local"}) may come at any moment and must not use it up.
            if (got.isEmpty() && request.types().contains("remote")) {
              Runnable hook = afterEmptyClaim.getAndSet(null);
              if (hook != null) {
                hook.run();
              }
            }
            return got;
          }
        };
    start(b -> b.store(store).pollInterval(Duration.ofMinutes(1)));
    JobId[] submitted = new JobId[1];
    afterEmptyClaim.set(() -> submitted[0] = engine.submit(JobRequest.of("remote", null)));

    CompletableFuture<List<RemoteLease>> f =
        remote.claim(claim("remote", 1, Duration.ofSeconds(60)));

    assertThat(afterEmptyClaim.get()).as("the submission ran after the empty look").isNull();
    assertThat(f.get(10, TimeUnit.SECONDS))
        .extracting(l -> l.job().id())
        .containsExactly(submitted[0]);
  }

  @Test
  void aParkedClaimOnAOneLeaseTableDoesNotKeepTheSchedulerAskingTheStore() throws Exception {
    // An empty look reserves the table's one slot and hands it back; that must not wake the
    // parked claims again (a loop of reserve, find nothing, hand back, wake).
    java.util.concurrent.atomic.AtomicInteger remoteLooks =
        new java.util.concurrent.atomic.AtomicInteger();
    dev.plimsoll.spi.JobStore store =
        new dev.plimsoll.spi.ForwardingJobStore(new dev.plimsoll.memory.InMemoryJobStore()) {
          @Override
          public List<dev.plimsoll.spi.ClaimedJob> claim(dev.plimsoll.spi.ClaimRequest request) {
            if (request.types().contains("remote")) {
              remoteLooks.incrementAndGet();
            }
            return super.claim(request);
          }
        };
    start(b -> b.store(store).maxRemoteLeases(1).pollInterval(Duration.ofMinutes(1)));
    CompletableFuture<List<RemoteLease>> parked =
        remote.claim(claim("remote", 1, Duration.ofSeconds(60)));
    int settled = remoteLooks.get();

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> remoteLooks.get() <= settled + 1);

    assertThat(parked).isNotDone();
    JobId id = engine.submit(JobRequest.of("remote", null));
    assertThat(parked.get(10, TimeUnit.SECONDS)).extracting(l -> l.job().id()).containsExactly(id);
  }

  @Test
  void claimsParkedWhileOtherThreadsSubmitNeverMissAWakeUp() throws Exception {
    // the fallback poll is a minute away: only wake-ups can serve these claims in time
    start(b -> b.pollInterval(Duration.ofMinutes(1)).maxParkedClaims(1_000));
    int perThread = 250;
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<List<CompletableFuture<List<RemoteLease>>>>> claimers =
          new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        claimers.add(
            threads.submit(
                () -> {
                  List<CompletableFuture<List<RemoteLease>>> mine = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    mine.add(remote.claim(claim("remote", 1, Duration.ofSeconds(60))));
                  }
                  return mine;
                }));
      }
      List<java.util.concurrent.Future<?>> submitters = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        submitters.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    engine.submit(JobRequest.of("remote", null));
                  }
                }));
      }
      for (java.util.concurrent.Future<?> f : submitters) {
        f.get(30, TimeUnit.SECONDS);
      }
      Set<JobId> got = new java.util.HashSet<>();
      for (java.util.concurrent.Future<List<CompletableFuture<List<RemoteLease>>>> c : claimers) {
        for (CompletableFuture<List<RemoteLease>> f : c.get(30, TimeUnit.SECONDS)) {
          List<RemoteLease> leases = f.get(20, TimeUnit.SECONDS);
          assertThat(leases).hasSize(1);
          got.add(leases.get(0).job().id());
        }
      }
      assertThat(got).hasSize(2 * perThread);
      assertThat(((Engine) engine).parkedClaims()).isZero();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void claimsBeyondTheParkedBoundAreRefusedNamingTheBound() {
    start(b -> b.maxParkedClaims(3));
    for (int i = 0; i < 3; i++) {
      remote.claim(claim("remote", 1, Duration.ofSeconds(30)));
    }
    assertThatThrownBy(() -> remote.claim(claim("remote", 1, Duration.ofSeconds(30))))
        .isInstanceOf(CapacityExceededException.class)
        .hasMessageContaining("maxParkedClaims")
        .hasMessageContaining("3");
    assertThat(engine.stats().parkedClaims()).isEqualTo(3);
    assertThat(engine.health().reasons()).anyMatch(r -> r.contains("maxParkedClaims"));
    // a claim that finds a job at once needs no place
    engine.submit(JobRequest.of("ready", null));
    assertThat(remote.claim(claim("ready", 1, Duration.ofSeconds(30)))).isDone();
  }

  @Test
  void claimsBeyondTheLeaseBoundAreRefusedNamingTheBound() throws Exception {
    start(b -> b.maxRemoteLeases(2));
    for (int i = 0; i < 4; i++) {
      engine.submit(JobRequest.of("remote", null));
    }
    assertThat(claimNow("remote", 5)).hasSize(2);
    assertThatThrownBy(() -> claimNow("remote", 1))
        .isInstanceOf(CapacityExceededException.class)
        .hasMessageContaining("maxRemoteLeases")
        .hasMessageContaining("2");
    assertThat(engine.stats().countsByState()).containsEntry(JobState.QUEUED, 2L);
    assertThat(engine.health().reasons()).anyMatch(r -> r.contains("maxRemoteLeases"));
  }

  @Test
  void aParkedClaimDoesNotTakeJobsWhileTheLeaseTableIsFull() throws Exception {
    start(b -> b.maxRemoteLeases(1));
    CompletableFuture<List<RemoteLease>> parkedFirst =
        remote.claim(claim("remote", 1, Duration.ofSeconds(30)));
    CompletableFuture<List<RemoteLease>> parkedSecond =
        remote.claim(claim("remote", 1, Duration.ofSeconds(30)));
    engine.submit(JobRequest.of("remote", null));
    engine.submit(JobRequest.of("remote", null));
    RemoteLease held = parkedFirst.get(10, TimeUnit.SECONDS).get(0);
    await().during(Duration.ofMillis(200)).until(() -> !parkedSecond.isDone());
    assertThat(remote.activeLeases()).isEqualTo(1);
    assertThat(engine.stats().countsByState()).containsEntry(JobState.QUEUED, 1L);

    assertThat(remote.succeed(held.job().id(), held.token(), null)).isTrue();

    assertThat(parkedSecond.get(10, TimeUnit.SECONDS)).hasSize(1);
  }

  // ------------------------------------------------------------------ validation

  @Test
  void everyInvalidClaimFieldIsNamedWithItsLimitAndChangesNothing() {
    start();
    JobId queued = engine.submit(JobRequest.of("remote", null));
    Set<String> many =
        IntStream.range(0, 101).mapToObj(i -> "t" + i).collect(Collectors.toUnmodifiableSet());
    Duration ok = Duration.ofSeconds(1);

    assertInvalid(null, "claim", "null");
    assertInvalid(new RemoteClaim(null, Set.of("remote"), 1, ok), "workerId", "100");
    assertInvalid(new RemoteClaim("", Set.of("remote"), 1, ok), "workerId", "100");
    assertInvalid(new RemoteClaim("w".repeat(101), Set.of("remote"), 1, ok), "workerId", "100");
    assertInvalid(new RemoteClaim("w\n1", Set.of("remote"), 1, ok), "workerId", "printable");
    assertInvalid(new RemoteClaim("w", null, 1, ok), "types", "1 to 100");
    assertInvalid(new RemoteClaim("w", Set.of(), 1, ok), "types", "1 to 100");
    assertInvalid(new RemoteClaim("w", many, 1, ok), "types", "got 101");
    assertInvalid(new RemoteClaim("w", Set.of("bad type!"), 1, ok), "types", "must match");
    assertInvalid(
        new RemoteClaim(
            "w", new java.util.HashSet<>(java.util.Arrays.asList("remote", null)), 1, ok),
        "types",
        "null");
    assertInvalid(new RemoteClaim("w", Set.of("remote"), 0, ok), "max", "between 1 and 100");
    assertInvalid(new RemoteClaim("w", Set.of("remote"), 101, ok), "max", "between 1 and 100");
    assertInvalid(new RemoteClaim("w", Set.of("remote"), 1, null), "maxWait", "60 s");
    assertInvalid(
        new RemoteClaim("w", Set.of("remote"), 1, Duration.ofMillis(-1)), "maxWait", "60 s");
    assertInvalid(
        new RemoteClaim("w", Set.of("remote"), 1, Duration.ofSeconds(61)), "maxWait", "60 s");

    assertThat(job(queued).state()).isEqualTo(JobState.QUEUED);
    assertThat(remote.activeLeases()).isZero();
    assertThat(((Engine) engine).parkedClaims()).isZero();
  }

  @Test
  void aTypeWithALocalHandlerIsRefusedForRemoteWorkers() {
    start();
    assertInvalid(
        new RemoteClaim("w", Set.of("remote", "local"), 1, Duration.ZERO),
        "types",
        "'local' has a handler");
  }

  private void assertInvalid(RemoteClaim c, String field, String limit) {
    assertThatThrownBy(() -> remote.claim(c))
        .isInstanceOf(InvalidJobException.class)
        .satisfies(e -> assertThat(((InvalidJobException) e).field()).isEqualTo(field))
        .hasMessageStartingWith(field + " ")
        .hasMessageContaining(limit);
  }

  // ------------------------------------------------------------------ outcomes

  @Test
  void successEndsTheJobWithItsCappedResultForWaitersListenersAndStats() throws Exception {
    start(b -> b.maxResultBytes(100));
    JobId id = engine.submit(JobRequest.of("remote", null));
    CompletableFuture<JobOutcome> done = engine.completion(id);
    RemoteLease l = claimOne("remote");
    clock.advance(Duration.ofMillis(250));

    assertThat(remote.succeed(id, l.token(), bytes("x".repeat(1_000)))).isTrue();

    JobOutcome outcome = done.get(5, TimeUnit.SECONDS);
    assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(outcome.result()).hasSize(100);
    assertThat(text(outcome.result())).contains("truncated 900 bytes");
    assertThat(job(id).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(kindsOf(id))
        .containsExactly(JobEvent.Kind.SUBMITTED, JobEvent.Kind.STARTED, JobEvent.Kind.SUCCEEDED);
    assertThat(engine.stats().totalSucceeded()).isEqualTo(1);
    assertThat(engine.stats().totalProcessed()).isEqualTo(1);
    assertThat(engine.stats().runTime().samples()).isEqualTo(1);
    assertThat(engine.stats().runTime().maxMillis()).isEqualTo(250);
    assertThat(remote.activeLeases()).isZero();
    assertThat(remote.succeed(id, l.token(), null)).as("a second report").isFalse();
    assertThat(engine.stats().staleRemoteReports()).isEqualTo(1);
  }

  @Test
  void aRetryableFailureIsRetriedWithBackoffUntilAttemptsRunOutThenDead() throws Exception {
    start();
    Instant t0 = clock.instant();
    JobId id = engine.submit(JobRequest.builder("remote").maxAttempts(2).build());
    CompletableFuture<JobOutcome> done = engine.completion(id);

    RemoteLease first = claimOne("remote");
    assertThat(remote.fail(id, first.token(), "boom 1", true)).isTrue();
    Job retry = job(id);
    assertThat(retry.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(retry.error()).isEqualTo("boom 1");
    assertThat(retry.runAt()).isEqualTo(t0.plusSeconds(1));
    assertThat(claimNow("remote", 1)).as("not before its backoff").isEmpty();

    clock.advance(Duration.ofSeconds(1));
    awaitState(id, JobState.QUEUED);
    RemoteLease second = claimOne("remote");
    assertThat(second.job().attempts()).isEqualTo(2);
    assertThat(second.token()).isNotEqualTo(first.token());
    assertThat(remote.fail(id, second.token(), "boom 2", true)).isTrue();

    JobOutcome outcome = done.get(5, TimeUnit.SECONDS);
    assertThat(outcome.state()).isEqualTo(JobState.DEAD);
    assertThat(outcome.error()).isEqualTo("attempts exhausted (2): boom 2");
    assertThat(kindsOf(id))
        .containsExactly(
            JobEvent.Kind.SUBMITTED,
            JobEvent.Kind.STARTED,
            JobEvent.Kind.FAILED,
            JobEvent.Kind.STARTED,
            JobEvent.Kind.DEAD);
    assertThat(engine.stats().totalErrors()).isEqualTo(2);
    assertThat(engine.stats().totalRetried()).isEqualTo(1);
    assertThat(engine.stats().totalDead()).isEqualTo(1);
  }

  @Test
  void aNonRetryableFailureGoesDeadAtOnceWithAttemptsLeft() throws Exception {
    start();
    JobId id = engine.submit(JobRequest.builder("remote").maxAttempts(5).build());
    RemoteLease l = claimOne("remote");
    assertThat(remote.fail(id, l.token(), "bad input", false)).isTrue();
    assertThat(job(id).state()).isEqualTo(JobState.DEAD);
    assertThat(job(id).error()).isEqualTo("non-retryable: bad input");
    assertThat(job(id).attempts()).isEqualTo(1);
  }

  @Test
  void aFailureTextIsCappedLikeAHandlersError() throws Exception {
    start(b -> b.maxErrorChars(100));
    JobId id = engine.submit(JobRequest.builder("remote").maxAttempts(1).build());
    RemoteLease l = claimOne("remote");
    assertThat(remote.fail(id, l.token(), "e".repeat(5_000), true)).isTrue();
    String error = job(id).error();
    assertThat(error).startsWith("attempts exhausted (1): eee").contains("truncated");
    assertThat(error.length()).isLessThanOrEqualTo(100 + "attempts exhausted (1): ".length());
  }

  // ------------------------------------------------------------------ leases and fencing

  @Test
  void aLeaseNotRenewedInTimeFailsTheAttemptAndReturnsTheJobAfterBackoff() throws Exception {
    start();
    JobId id = engine.submit(JobRequest.builder("remote").maxAttempts(2).build());
    RemoteLease l = claimOne("remote");

    clock.advance(LEASE);

    awaitEvent(id, JobEvent.Kind.FAILED);
    assertThat(job(id).state()).isEqualTo(JobState.SCHEDULED);
    assertThat(job(id).error()).startsWith("lease expired").contains("worker-1");
    assertThat(job(id).attempts()).isEqualTo(1);
    assertThat(remote.activeLeases()).isZero();
    assertThat(engine.stats().remoteLeasesExpired()).isEqualTo(1);
    assertThat(engine.stats().totalErrors()).isEqualTo(1);
    assertThat(kindsOf(id)).endsWith(JobEvent.Kind.FAILED);

    clock.advance(Duration.ofSeconds(1));
    awaitState(id, JobState.QUEUED);
    RemoteLease again = claimOne("remote");
    assertThat(again.job().attempts()).isEqualTo(2);

    clock.advance(LEASE);
    JobOutcome outcome = engine.completion(id).get(10, TimeUnit.SECONDS);
    assertThat(outcome.state()).isEqualTo(JobState.DEAD);
    assertThat(outcome.error()).startsWith("attempts exhausted (2): lease expired");
    assertThat(l.token()).isNotEqualTo(again.token());
  }

  @Test
  void callsWithAStaleTokenAfterExpiryChangeNothingAndAreCounted() throws Exception {
    start();
    JobId id = engine.submit(JobRequest.of("remote", null));
    RemoteLease old = claimOne("remote");
    clock.advance(LEASE);
    awaitState(id, JobState.SCHEDULED);
    clock.advance(Duration.ofSeconds(1));
    awaitState(id, JobState.QUEUED);
    RemoteLease current = claimOne("remote");

    assertThat(remote.heartbeat(id, old.token())).isEqualTo(LeaseStatus.LOST);
    assertThat(remote.succeed(id, old.token(), bytes("late"))).isFalse();
    assertThat(remote.fail(id, old.token(), "late", false)).isFalse();
    assertThat(remote.heartbeat(notRunning(), 1)).isEqualTo(LeaseStatus.LOST);

    assertThat(engine.stats().staleRemoteReports()).isEqualTo(4);
    Job now = job(id);
    assertThat(now.state()).isEqualTo(JobState.RUNNING);
    assertThat(now.attempts()).isEqualTo(2);
    assertThat(remote.heartbeat(id, current.token())).isEqualTo(LeaseStatus.RENEWED);
    assertThat(remote.succeed(id, current.token(), bytes("ok"))).isTrue();
    assertThat(text(job(id).result())).isEqualTo("ok");
  }

  private JobId notRunning() {
    JobId other = engine.submit(JobRequest.of("elsewhere", null));
    engine.cancel(other);
    return other;
  }

  @Test
  void aReportArrivingAfterTheLeaseRanOutIsStaleWhoeverNoticesTheExpiryFirst() throws Exception {
    start();
    JobId id = engine.submit(JobRequest.builder("remote").maxAttempts(1).build());
    RemoteLease l = claimOne("remote");
    clock.advance(LEASE); // the scheduler and this report race to see the lease run out
    assertThat(remote.succeed(id, l.token(), bytes("too late"))).isFalse();
    awaitEvent(id, JobEvent.Kind.DEAD);
    assertThat(job(id).state()).isEqualTo(JobState.DEAD);
    assertThat(job(id).error()).contains("lease expired");
    assertThat(engine.stats().staleRemoteReports()).isEqualTo(1);
    assertThat(engine.stats().remoteLeasesExpired()).isEqualTo(1);
  }

  @Test
  void heartbeatsKeepALeaseAlivePastItsLength() throws Exception {
    start();
    JobId id = engine.submit(JobRequest.builder("remote").timeout(Duration.ofMinutes(5)).build());
    RemoteLease l = claimOne("remote");
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofSeconds(8));
      assertThat(remote.heartbeat(id, l.token())).isEqualTo(LeaseStatus.RENEWED);
    }
    // 48 s later, almost five lease lengths, it still runs under the same token
    await().during(Duration.ofMillis(200)).until(() -> job(id).state() == JobState.RUNNING);
    assertThat(remote.activeLeases()).isEqualTo(1);
    assertThat(remote.succeed(id, l.token(), null)).isTrue();
    assertThat(job(id).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(engine.stats().remoteLeasesExpired()).isZero();
  }

  @Test
  void anAttemptPastItsTimeoutFailsAsTimedOutEvenWhileHeartbeating() throws Exception {
    start();
    JobId id =
        engine.submit(
            JobRequest.builder("remote").timeout(Duration.ofSeconds(15)).maxAttempts(1).build());
    RemoteLease l = claimOne("remote");
    clock.advance(Duration.ofSeconds(8));
    assertThat(remote.heartbeat(id, l.token())).isEqualTo(LeaseStatus.RENEWED);
    clock.advance(Duration.ofSeconds(7));

    awaitEvent(id, JobEvent.Kind.DEAD);
    assertThat(job(id).error()).isEqualTo("attempts exhausted (1): timed out after 15000 ms");
    assertThat(engine.stats().totalTimedOut()).isEqualTo(1);
    assertThat(remote.heartbeat(id, l.token())).isEqualTo(LeaseStatus.LOST);
  }

  @Test
  void aCancelMakesTheNextHeartbeatAskToStopAndTheNextReportEndsTheJobCancelled() throws Exception {
    start();
    JobId id = engine.submit(JobRequest.of("remote", null));
    CompletableFuture<JobOutcome> done = engine.completion(id);
    RemoteLease l = claimOne("remote");
    assertThat(remote.heartbeat(id, l.token())).isEqualTo(LeaseStatus.RENEWED);

    assertThat(engine.cancel(id)).isTrue();

    assertThat(remote.heartbeat(id, l.token())).isEqualTo(LeaseStatus.CANCEL_REQUESTED);
    assertThat(job(id).state()).isEqualTo(JobState.RUNNING);
    assertThat(remote.succeed(id, l.token(), bytes("ignored"))).isTrue();
    JobOutcome outcome = done.get(5, TimeUnit.SECONDS);
    assertThat(outcome.state()).isEqualTo(JobState.CANCELLED);
    assertThat(outcome.error()).isEqualTo("cancelled");
    assertThat(kindsOf(id)).endsWith(JobEvent.Kind.CANCELLED);
    assertThat(engine.stats().totalCancelled()).isEqualTo(1);
  }

  @Test
  void aCancelledJobWhoseWorkerGoesSilentEndsCancelledAtLeaseExpiry() throws Exception {
    start();
    JobId id = engine.submit(JobRequest.of("remote", null));
    claimOne("remote");
    engine.cancel(id);
    clock.advance(LEASE);
    awaitEvent(id, JobEvent.Kind.CANCELLED);
    assertThat(job(id).state()).isEqualTo(JobState.CANCELLED);
    assertThat(engine.stats().remoteLeasesExpired()).isZero();
  }

  // ------------------------------------------------------------------ breakers and limits

  @Test
  void anOpenBreakerPausesRemoteClaimsAndHalfOpenLetsOneProbeThrough() throws Exception {
    start(b -> b.breaker(new BreakerConfig(true, 0.5, 4, 4, Duration.ofSeconds(30), 1)));
    for (int i = 0; i < 4; i++) {
      engine.submit(JobRequest.of("flaky", null));
    }
    for (RemoteLease l : claimNow("flaky", 4)) {
      remote.fail(l.job().id(), l.token(), "down", true);
    }
    assertThat(engine.stats().openBreakers()).containsExactly("flaky:OPEN");
    assertThat(engine.health().status()).isEqualTo(HealthStatus.DEGRADED);
    clock.advance(Duration.ofSeconds(1)); // retries due: queued again, but the breaker is open
    await().until(() -> engine.stats().countsByState().getOrDefault(JobState.QUEUED, 0L) == 4);
    assertThat(claimNow("flaky", 4)).isEmpty();
    CompletableFuture<List<RemoteLease>> parked =
        remote.claim(claim("flaky", 4, Duration.ofSeconds(60)));
    assertThat(parked).isNotDone();

    clock.advance(Duration.ofSeconds(30));

    List<RemoteLease> probe = parked.get(10, TimeUnit.SECONDS);
    assertThat(probe).as("half-open: one probe").hasSize(1);
    assertThat(claimNow("flaky", 4)).as("no second probe").isEmpty();
    assertThat(remote.succeed(probe.get(0).job().id(), probe.get(0).token(), null)).isTrue();
    assertThat(engine.stats().openBreakers()).isEmpty();
    assertThat(claimNow("flaky", 4)).hasSize(3);
  }

  @Test
  void typeConcurrencyLimitsHowManyJobsRemoteWorkersHoldOfThatType() throws Exception {
    start(b -> b.typeConcurrency("limited", 2));
    for (int i = 0; i < 5; i++) {
      engine.submit(JobRequest.of("limited", null));
    }
    List<RemoteLease> got = claimNow("limited", 5);
    assertThat(got).hasSize(2);
    assertThat(claimNow("limited", 5)).isEmpty();
    CompletableFuture<List<RemoteLease>> parked =
        remote.claim(claim("limited", 5, Duration.ofSeconds(30)));

    remote.succeed(got.get(0).job().id(), got.get(0).token(), null);

    assertThat(parked.get(10, TimeUnit.SECONDS)).hasSize(1);
  }

  // ------------------------------------------------------------------ shutdown and threads

  @Test
  void shutdownCompletesParkedClaimsAndCancelsRemoteJobsOfAMemoryStore() throws Exception {
    start();
    JobId id = engine.submit(JobRequest.of("remote", null));
    CompletableFuture<JobOutcome> done = engine.completion(id);
    RemoteLease l = claimOne("remote");
    List<CompletableFuture<List<RemoteLease>>> parked = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      parked.add(remote.claim(claim("remote", 1, Duration.ofSeconds(60))));
    }

    engine.shutdown(ShutdownMode.CANCEL_PENDING, Duration.ZERO);

    for (CompletableFuture<List<RemoteLease>> f : parked) {
      assertThat(f).isCompletedWithValue(List.of());
    }
    assertThat(remote.activeLeases()).isZero();
    assertThat(((Engine) engine).parkedClaims()).isZero();
    JobOutcome outcome = done.get(1, TimeUnit.SECONDS);
    assertThat(outcome.state()).isEqualTo(JobState.CANCELLED);
    assertThat(outcome.error()).isEqualTo("shutdown");
    assertThat(remote.succeed(id, l.token(), null)).isFalse();
    assertThatThrownBy(() -> remote.claim(claim("remote", 1, Duration.ZERO)))
        .isInstanceOf(EngineClosedException.class);
  }

  @Test
  void shutdownGivesRemoteWorkersTheGracePeriodToReport() throws Exception {
    start();
    JobId id = engine.submit(JobRequest.of("remote", null));
    RemoteLease l = claimOne("remote");
    CompletableFuture<Void> closing =
        CompletableFuture.runAsync(
            () -> engine.shutdown(ShutdownMode.CANCEL_PENDING, Duration.ofSeconds(30)));
    await().until(() -> engine.health().status() == HealthStatus.DOWN);
    assertThat(closing).isNotDone();

    assertThat(remote.succeed(id, l.token(), bytes("in time"))).isTrue();

    closing.get(10, TimeUnit.SECONDS);
    assertThat(job(id).state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void aDrainingShutdownLetsRemoteWorkersClaimAndFinishTheQueuedJobs() throws Exception {
    start();
    JobId id = engine.submit(JobRequest.of("remote", null));
    CompletableFuture<Void> closing =
        CompletableFuture.runAsync(
            () -> engine.shutdown(ShutdownMode.DRAIN, Duration.ofSeconds(30)));
    await().until(() -> engine.health().status() == HealthStatus.DOWN);

    RemoteLease l = claimOne("remote");
    assertThat(remote.succeed(id, l.token(), null)).isTrue();

    closing.get(10, TimeUnit.SECONDS);
    assertThat(job(id).state()).isEqualTo(JobState.SUCCEEDED);
    assertThatThrownBy(() -> remote.claim(claim("remote", 1, Duration.ZERO)))
        .isInstanceOf(EngineClosedException.class);
  }

  @Test
  void threadCountDoesNotGrowWithFiveHundredParkedClaims() throws Exception {
    start(b -> b.concurrency(2));
    Set<String> before = Engines.engineThreads();
    int allThreads = Thread.activeCount();
    List<CompletableFuture<List<RemoteLease>>> parked = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      parked.add(
          remote.claim(new RemoteClaim("w" + i, Set.of("remote"), 1, Duration.ofSeconds(60))));
    }
    assertThat(engine.stats().parkedClaims()).isEqualTo(500);
    assertThat(Engines.engineThreads()).isEqualTo(before);
    assertThat(engine.stats().engineThreads()).isEqualTo(3);
    assertThat(Thread.activeCount()).isLessThanOrEqualTo(allThreads);

    for (int i = 0; i < 500; i++) {
      engine.submit(JobRequest.of("remote", null));
    }
    for (CompletableFuture<List<RemoteLease>> f : parked) {
      assertThat(f.get(10, TimeUnit.SECONDS)).hasSize(1);
    }
    assertThat(remote.activeLeases()).isEqualTo(500);
    assertThat(Engines.engineThreads()).isEqualTo(before);
  }

  @Test
  void remoteLeasesClaimsStaleReportsAndExpiriesAreExportedAsMeters() throws Exception {
    start();
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    new dev.plimsoll.micrometer.PlimsollMetrics(engine).bindTo(registry);
    JobId id = engine.submit(JobRequest.of("remote", null));
    RemoteLease l = claimOne("remote");
    remote.claim(claim("remote", 1, Duration.ofSeconds(30)));
    // the binding caches a stats snapshot briefly: wait for the next one
    awaitMeters(
        registry, java.util.Map.of("plimsoll.remote.leases", 1.0, "plimsoll.remote.parked", 1.0));

    assertThat(remote.heartbeat(id, l.token() + 1)).isEqualTo(LeaseStatus.LOST);
    clock.advance(LEASE);
    awaitEvent(id, JobEvent.Kind.FAILED);

    awaitMeters(
        registry,
        java.util.Map.of(
            "plimsoll.remote.stale", 1.0,
            "plimsoll.remote.expired", 1.0,
            "plimsoll.remote.leases", 0.0));
  }

  private static void awaitMeters(
      io.micrometer.core.instrument.MeterRegistry registry, java.util.Map<String, Double> values) {
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                values.entrySet().stream()
                    .allMatch(
                        e ->
                            registry.get(e.getKey()).meter().measure().iterator().next().getValue()
                                == e.getValue()));
  }

  @Test
  void manyExpiredLeasesTurnHealthDegradedWithANamedReason() throws Exception {
    start(b -> b.maxAttempts(1));
    for (int i = 0; i < 20; i++) {
      engine.submit(JobRequest.of("remote", null));
    }
    assertThat(claimNow("remote", 20)).hasSize(20);
    clock.advance(LEASE);
    await().until(() -> engine.stats().remoteLeasesExpired() == 20);
    assertThat(engine.health().status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(engine.health().reasons())
        .anyMatch(r -> r.startsWith("remote leases expiring: 20 of the last 20"));
  }
}
