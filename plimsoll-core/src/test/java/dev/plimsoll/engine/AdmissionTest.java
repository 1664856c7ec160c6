package dev.plimsoll.engine;

import static dev.plimsoll.engine.Engines.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.EngineClosedException;
import dev.plimsoll.InvalidJobException;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobOutcome;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.QueueFullException;
import dev.plimsoll.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private final SettableClock clock = SettableClock.atFixedStart();

  @Test
  void invalidFieldsAreRefusedByNameAndChangeNothing() {
    try (JobEngine engine =
        Engines.builder(clock).maxPayloadBytes(8).handler("t", ctx -> null).build()) {
      expectInvalid(engine, JobRequest.of("no spaces", bytes("x")), "type");
      expectInvalid(engine, JobRequest.of("unknown", bytes("x")), "type");
      expectInvalid(engine, JobRequest.of("t", bytes("123456789")), "payload");
      expectInvalid(engine, JobRequest.builder("t").priority(10).build(), "priority");
      expectInvalid(engine, JobRequest.builder("t").maxAttempts(0).build(), "maxAttempts");
      expectInvalid(engine, JobRequest.builder("t").timeout(Duration.ZERO).build(), "timeout");
      expectInvalid(engine, JobRequest.builder("t").queue("bad queue").build(), "queue");
      expectInvalid(engine, JobRequest.builder("t").owner("").build(), "owner");
      expectInvalid(
          engine, JobRequest.builder("t").idempotencyKey("a\nb").build(), "idempotencyKey");
      expectInvalid(engine, JobRequest.builder("t").delay(Duration.ofDays(400)).build(), "delay");
      expectInvalid(
          engine,
          JobRequest.builder("t").delay(Duration.ofSeconds(1)).runAt(clock.instant()).build(),
          "delay");

      assertThat(engine.stats().countsByState().values()).allMatch(n -> n == 0);
      assertThat(engine.stats().totalRejected()).isEqualTo(11);
      assertThat(engine.stats().totalQueued()).isZero();
    }
  }

  @Test
  void theErrorMessageStatesTheLimit() {
    try (JobEngine engine =
        Engines.builder(clock).maxPayloadBytes(8).handler("t", ctx -> null).build()) {
      assertThatThrownBy(() -> engine.submit(JobRequest.of("t", new byte[100])))
          .hasMessage("payload is 100 bytes, more than the limit of 8 bytes");
    }
  }

  @Test
  void aBatchWithOneInvalidJobAdmitsNone() {
    try (JobEngine engine = Engines.builder(clock).handler("t", ctx -> null).build()) {
      assertThatThrownBy(
              () ->
                  engine.submitAll(
                      List.of(
                          JobRequest.of("t", bytes("ok")),
                          JobRequest.builder("t").priority(-1).build())))
          .isInstanceOf(InvalidJobException.class)
          .hasMessage("requests[1].priority must be between 0 and 9, got -1")
          .extracting(e -> ((InvalidJobException) e).field())
          .isEqualTo("requests[1].priority");
      assertThat(engine.stats().countsByState().get(JobState.QUEUED)).isZero();
      // a single submit names the bare field
      assertThatThrownBy(() -> engine.submit(JobRequest.builder("t").priority(-1).build()))
          .hasMessage("priority must be between 0 and 9, got -1");
    }
  }

  @Test
  void aFullQueueRejectsByDefaultAndCountsIt() {
    try (JobEngine engine =
        Engines.builder(clock)
            .queue("q", QueueConfig.reject(2))
            .handler("t", ctx -> null)
            .build()) {
      engine.submit(JobRequest.builder("t").queue("q").build());
      engine.submit(JobRequest.builder("t").queue("q").build());

      assertThatThrownBy(() -> engine.submit(JobRequest.builder("t").queue("q").build()))
          .isInstanceOf(QueueFullException.class)
          .hasMessageContaining("queue 'q' is full (capacity 2");
      assertThat(engine.stats().totalRejected()).isEqualTo(1);
      assertThat(engine.stats().pendingByQueue()).containsEntry("q", 2L);
    }
  }

  @Test
  void theDefaultInMemoryQueueHoldsTenThousand() {
    try (JobEngine engine = Engines.builder(clock).handler("t", ctx -> null).build()) {
      for (int i = 0; i < 100; i++) {
        List<JobRequest> batch = new java.util.ArrayList<>();
        for (int j = 0; j < 100; j++) {
          batch.add(JobRequest.of("t", null));
        }
        engine.submitAll(batch);
      }
      assertThatThrownBy(() -> engine.submit(JobRequest.of("t", null)))
          .isInstanceOfSatisfying(
              QueueFullException.class, e -> assertThat(e.capacity()).isEqualTo(10_000));
    }
  }

  @Test
  void aBlockingQueueWaitsForSpaceAndAdmitsWhenAWorkerTakesAJob() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (JobEngine engine =
        Engines.builder(clock)
            .concurrency(1)
            .queue("q", QueueConfig.block(1, Duration.ofSeconds(30)))
            .handler(
                "t",
                ctx -> {
                  release.await();
                  return null;
                })
            .build()) {
      engine.submit(JobRequest.builder("t").queue("q").build());
      CompletableFuture<JobId> blocked =
          CompletableFuture.supplyAsync(
              () -> engine.submit(JobRequest.builder("t").queue("q").build()));
      assertThat(blocked).isNotDone();

      engine.start();
      JobId admitted = blocked.get(10, TimeUnit.SECONDS);
      assertThat(engine.get(admitted)).isPresent();
      release.countDown();
    }
  }

  @Test
  void aBlockingQueueRefusesAfterItsTimeout() {
    try (JobEngine engine =
        Engines.builder(clock)
            .queue("q", QueueConfig.block(1, Duration.ofMillis(50)))
            .handler("t", ctx -> null)
            .build()) {
      engine.submit(JobRequest.builder("t").queue("q").build());
      assertThatThrownBy(() -> engine.submit(JobRequest.builder("t").queue("q").build()))
          .isInstanceOf(QueueFullException.class)
          .hasMessageContaining("BLOCK timeout");
      assertThat(engine.stats().totalRejected()).isEqualTo(1);
    }
  }

  @Test
  void dropOldestIsOptInForReplayableQueuesOnly() {
    assertThatThrownBy(
            () -> new QueueConfig(5, dev.plimsoll.OverflowPolicy.DROP_OLDEST, Duration.ZERO, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replayable");
  }

  @Test
  void dropOldestEvictsTheOldestCountsItAndTellsItsWaiter() throws Exception {
    try (JobEngine engine =
        Engines.builder(clock)
            .queue("q", QueueConfig.dropOldest(2))
            .handler("t", ctx -> null)
            .build()) {
      JobId first = engine.submit(JobRequest.builder("t").queue("q").build());
      CompletableFuture<JobOutcome> waiting = engine.completion(first);
      engine.submit(JobRequest.builder("t").queue("q").build());
      engine.submit(JobRequest.builder("t").queue("q").build());

      JobOutcome outcome = waiting.get(5, TimeUnit.SECONDS);
      assertThat(outcome.state()).isEqualTo(JobState.CANCELLED);
      assertThat(outcome.error()).contains("dropped");
      assertThat(engine.stats().totalDropped()).isEqualTo(1);
      assertThat(engine.stats().pendingByQueue()).containsEntry("q", 2L);
    }
  }

  @Test
  void anIdempotencyKeyReturnsTheSameJob() {
    try (JobEngine engine = Engines.builder(clock).handler("t", ctx -> null).build()) {
      JobId a =
          engine.submit(JobRequest.builder("t").owner("acme").idempotencyKey("order-7").build());
      JobId b =
          engine.submit(JobRequest.builder("t").owner("acme").idempotencyKey("order-7").build());
      assertThat(b).isEqualTo(a);
      assertThat(engine.stats().totalQueued()).isEqualTo(1);
    }
  }

  @Test
  void theNumberOfDistinctQueuesIsBounded() {
    try (JobEngine engine = Engines.builder(clock).maxQueues(3).handler("t", ctx -> null).build()) {
      engine.submit(JobRequest.builder("t").queue("a").build());
      engine.submit(JobRequest.builder("t").queue("b").build());
      expectInvalid(engine, JobRequest.builder("t").queue("c").build(), "queue");
      engine.submit(JobRequest.builder("t").queue("a").build());
    }
  }

  @Test
  void typesWithoutHandlersAreAcceptedOnlyWhenAskedAndBounded() {
    try (JobEngine engine =
        Engines.builder(clock).acceptTypesWithoutHandler(true).maxTypes(2).build()) {
      engine.submit(JobRequest.of("remote-a", null));
      engine.submit(JobRequest.of("remote-b", null));
      expectInvalid(engine, JobRequest.of("remote-c", null), "type");
    }
  }

  @Test
  void aJobRefusedForItsTypeLeavesItsNewQueueNameUnregistered() {
    try (JobEngine engine =
        Engines.builder(clock).acceptTypesWithoutHandler(true).maxTypes(1).maxQueues(2).build()) {
      engine.submit(JobRequest.of("remote-a", null));
      expectInvalid(engine, JobRequest.builder("remote-b").queue("q1").build(), "type");
      engine.submit(JobRequest.builder("remote-a").queue("q2").build());
    }
  }

  @Test
  void aClosedEngineAdmitsNothing() {
    JobEngine engine = Engines.builder(clock).handler("t", ctx -> null).start();
    engine.close();
    assertThatThrownBy(() -> engine.submit(JobRequest.of("t", null)))
        .isInstanceOf(EngineClosedException.class)
        .hasMessageContaining("shutting down");
  }

  @Test
  void builderSettingsAreValidatedWithTheirNameAndLimit() {
    assertThatThrownBy(() -> JobEngine.builder().concurrency(0))
        .hasMessage("concurrency must be between 1 and 10000, got 0");
    assertThatThrownBy(() -> JobEngine.builder().timeout(Duration.ofDays(2)))
        .hasMessageContaining("timeout must be between");
    assertThatThrownBy(() -> JobEngine.builder().handler("t", c -> null).handler("t", c -> null))
        .hasMessageContaining("already registered");
    assertThatThrownBy(() -> JobEngine.builder().typeConcurrency("x", 1).build())
        .hasMessageContaining("no handler");
  }

  private static void expectInvalid(JobEngine engine, JobRequest r, String field) {
    Consumer<InvalidJobException> names = e -> assertThat(e.field()).isEqualTo(field);
    assertThatThrownBy(() -> engine.submit(r))
        .isInstanceOfSatisfying(InvalidJobException.class, names);
  }
}
