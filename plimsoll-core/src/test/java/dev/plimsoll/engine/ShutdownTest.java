package dev.plimsoll.engine;

import static dev.plimsoll.engine.Engines.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobOutcome;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.SettableClock;
import dev.plimsoll.ShutdownMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShutdownTest {
  private final SettableClock clock = SettableClock.atFixedStart();

  @Test
  void drainRunsQueuedWorkBeforeStopping() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    JobEngine engine =
        Engines.builder(clock)
            .concurrency(2)
            .handler(
                "t",
                ctx -> {
                  ran.incrementAndGet();
                  return null;
                })
            .build();
    List<JobId> ids = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      ids.add(engine.submit(JobRequest.of("t", null)));
    }
    engine.start();
    engine.shutdown(ShutdownMode.DRAIN, Duration.ofSeconds(30));
    assertThat(ran.get()).isEqualTo(500);
    assertThat(Engines.engineThreads()).isEmpty();
  }

  @Test
  void cancelPendingTellsCallersWhyAndGivesRunningWorkItsGrace() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    JobEngine engine =
        Engines.builder(clock)
            .concurrency(1)
            .handler(
                "t",
                ctx -> {
                  started.countDown();
                  finish.await(30, TimeUnit.SECONDS);
                  return Engines.bytes("finished in grace");
                })
            .start();
    JobId running = engine.submit(JobRequest.of("t", null));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    JobId pending = engine.submit(JobRequest.of("t", null));
    CompletableFuture<JobOutcome> pendingOutcome = engine.completion(pending);
    CompletableFuture<JobOutcome> runningOutcome = engine.completion(running);

    CompletableFuture<Void> shutdown =
        CompletableFuture.runAsync(
            () -> engine.shutdown(ShutdownMode.CANCEL_PENDING, Duration.ofSeconds(30)));
    JobOutcome cancelled = pendingOutcome.get(10, TimeUnit.SECONDS);
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.error()).isEqualTo("shutdown");

    finish.countDown();
    shutdown.get(30, TimeUnit.SECONDS);
    assertThat(runningOutcome.get(5, TimeUnit.SECONDS).state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void runningWorkPastTheGraceIsInterruptedAndCancelled() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    JobEngine engine =
        Engines.builder(clock)
            .concurrency(1)
            .handler(
                "t",
                ctx -> {
                  started.countDown();
                  Engines.blockUntilInterrupted();
                  return null;
                })
            .start();
    JobId id = engine.submit(JobRequest.of("t", null));
    CompletableFuture<JobOutcome> outcome = engine.completion(id);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    engine.shutdown(ShutdownMode.DRAIN, Duration.ofMillis(100));

    assertThat(outcome.get(5, TimeUnit.SECONDS).state()).isEqualTo(JobState.CANCELLED);
    assertThat(outcome.get().error()).isEqualTo("shutdown");
    assertThat(Engines.engineThreads()).isEmpty();
  }

  @Test
  void drainCancelsWhatIsLeftWhenTheGraceRunsOut() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    JobEngine engine =
        Engines.builder(clock)
            .concurrency(1)
            .handler(
                "t",
                ctx -> {
                  hold.await(30, TimeUnit.SECONDS);
                  return null;
                })
            .start();
    engine.submit(JobRequest.of("t", null));
    JobId waiting = engine.submit(JobRequest.of("t", null));
    CompletableFuture<JobOutcome> outcome = engine.completion(waiting);

    engine.shutdown(ShutdownMode.DRAIN, Duration.ofMillis(200));

    assertThat(outcome.get(5, TimeUnit.SECONDS).error()).isEqualTo("shutdown");
  }

  @Test
  void closeIsIdempotentAndSafeFromManyThreads() throws Exception {
    JobEngine engine = Engines.builder(clock).handler("t", ctx -> null).start();
    await(engine, engine.submit(JobRequest.of("t", null)));
    List<CompletableFuture<Void>> closers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      closers.add(CompletableFuture.runAsync(engine::close));
    }
    for (CompletableFuture<Void> c : closers) {
      c.get(30, TimeUnit.SECONDS);
    }
    engine.close();
    assertThat(Engines.engineThreads()).isEmpty();
    assertThat(engine.health().status()).isEqualTo(dev.plimsoll.HealthStatus.DOWN);
  }

  @Test
  void anEngineClosedBeforeStartCancelsWhatWasSubmitted() throws Exception {
    JobEngine engine = Engines.builder(clock).handler("t", ctx -> null).build();
    JobId id = engine.submit(JobRequest.of("t", null));
    CompletableFuture<JobOutcome> f = engine.completion(id);
    engine.close();
    assertThat(f.get(5, TimeUnit.SECONDS).state()).isEqualTo(JobState.CANCELLED);
    await().atMost(Duration.ofSeconds(1)).until(() -> Engines.engineThreads().isEmpty());
  }
}
