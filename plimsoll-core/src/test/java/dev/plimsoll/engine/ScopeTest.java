package dev.plimsoll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.JobEngine;
import dev.plimsoll.Scope;
import dev.plimsoll.SettableClock;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ScopeTest {
  private final SettableClock clock = SettableClock.atFixedStart();

  @Test
  void aScopeTaskRunsOnAnEngineWorkerAndLeavesNoTaskBehind() throws Exception {
    try (JobEngine engine = Engines.builder(clock).concurrency(2).start();
        Scope scope = engine.openScope("connection-1")) {
      CompletableFuture<String> f = scope.submit(() -> Thread.currentThread().getName());
      assertThat(f.get(10, TimeUnit.SECONDS)).startsWith("plimsoll-worker-");
      await().atMost(Duration.ofSeconds(5)).until(() -> scope.activeTasks() == 0);
      assertThat(engine.scopes()).extracting("name").containsExactly("connection-1");
    }
  }

  @Test
  void closingAScopeCancelsQueuedTasksAndInterruptsRunningOnes() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    try (JobEngine engine = Engines.builder(clock).concurrency(1).start()) {
      Scope scope = engine.openScope("websocket-7");
      CompletableFuture<Void> running =
          scope.execute(
              () -> {
                started.countDown();
                try {
                  Engines.blockUntilInterrupted();
                } catch (InterruptedException e) {
                  interrupted.set(true);
                }
              });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<String> queued = scope.submit(() -> "never");
      assertThat(scope.activeTasks()).isEqualTo(2);

      scope.close();

      assertThat(failureOf(queued))
          .isInstanceOf(CancellationException.class)
          .hasMessage("scope 'websocket-7' closed");
      assertThat(failureOf(running)).isInstanceOf(CancellationException.class);
      assertThat(interrupted).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> scope.activeTasks() == 0);
      assertThat(engine.scopes()).isEmpty();
      assertThatThrownBy(() -> scope.submit(() -> 1)).isInstanceOf(EngineClosedException.class);
      scope.close();
    }
  }

  @Test
  void aFailingTaskFailsItsFutureOnly() throws Exception {
    try (JobEngine engine = Engines.builder(clock).start();
        Scope scope = engine.openScope("s")) {
      CompletableFuture<Object> f =
          scope.submit(
              () -> {
                throw new IllegalStateException("nope");
              });
      assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseMessage("nope");
      assertThat(scope.submit(() -> 42).get(5, TimeUnit.SECONDS)).isEqualTo(42);
    }
  }

  @Test
  void tasksPerScopeAndOpenScopesAreBounded() {
    CountDownLatch hold = new CountDownLatch(1);
    try (JobEngine engine =
        Engines.builder(clock).concurrency(1).maxTasksPerScope(2).maxOpenScopes(2).start()) {
      Scope scope = engine.openScope("a");
      scope.execute(() -> awaitQuietly(hold));
      scope.execute(() -> awaitQuietly(hold));
      assertThatThrownBy(() -> scope.execute(() -> {}))
          .isInstanceOfSatisfying(
              CapacityExceededException.class, e -> assertThat(e.limit()).isEqualTo(2));
      engine.openScope("b");
      assertThatThrownBy(() -> engine.openScope("c")).isInstanceOf(CapacityExceededException.class);
      hold.countDown();
    }
  }

  @Test
  void tenThousandScopesOpenedAndClosedLeaveNothingBehind() throws Exception {
    try (JobEngine engine = Engines.builder(clock).concurrency(2).start()) {
      List<WeakReference<Scope>> refs = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        Scope scope = engine.openScope("conn-" + i);
        CompletableFuture<Integer> f = scope.submit(() -> 1);
        if (i % 2 == 0) {
          f.get(10, TimeUnit.SECONDS);
        }
        scope.close();
        if (i % 100 == 0) {
          refs.add(new WeakReference<>(scope));
        }
      }
      assertThat(engine.scopes()).isEmpty();
      assertThat(engine.stats().openScopes()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> engine.stats().scopeTasks() == 0);
      Engines.awaitCollected(refs, Duration.ofSeconds(20));
    }
  }

  /** The exception a future completed with (get() wraps it differently across JDKs). */
  private static Throwable failureOf(CompletableFuture<?> f) throws Exception {
    return f.handle((value, failure) -> failure).get(5, TimeUnit.SECONDS);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
