package dev.plimsoll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.BoundedBuffer;
import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobRequest;
import dev.plimsoll.Scope;
import dev.plimsoll.SettableClock;
import dev.plimsoll.internal.engine.Engine;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine's own collections refuse past their bound with an error naming it. */
class BoundsTest {
  private final SettableClock clock = SettableClock.atFixedStart();

  @Test
  void completionWaitersAreBounded() {
    try (JobEngine engine =
        Engines.builder(clock).maxWaiters(2).handler("t", ctx -> null).build()) {
      JobId a = engine.submit(JobRequest.of("t", null));
      JobId b = engine.submit(JobRequest.of("t", null));
      JobId c = engine.submit(JobRequest.of("t", null));
      engine.completion(a);
      engine.completion(b);
      engine.completion(a); // the same job shares its future
      assertThatThrownBy(() -> engine.completion(c))
          .isInstanceOfSatisfying(
              CapacityExceededException.class,
              e -> {
                assertThat(e.bound()).contains("maxWaiters");
                assertThat(e.limit()).isEqualTo(2);
              });
      assertThat(((Engine) engine).waitingFutures()).isEqualTo(2);
    }
  }

  @Test
  void theEngineWideScopeTaskQueueIsBounded() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    try (JobEngine engine =
        Engines.builder(clock).concurrency(1).scopeTaskCapacity(2).maxTasksPerScope(100).start()) {
      Scope scope = engine.openScope("s");
      CountDownLatch running = new CountDownLatch(1);
      scope.execute(
          () -> {
            running.countDown();
            try {
              hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      scope.execute(() -> {});
      scope.execute(() -> {});
      assertThatThrownBy(() -> scope.execute(() -> {}))
          .isInstanceOfSatisfying(
              CapacityExceededException.class,
              e -> assertThat(e.bound()).contains("scopeTaskCapacity"));
      assertThat(scope.activeTasks()).isEqualTo(3);
      hold.countDown();
    }
  }

  @Test
  void registeredBuffersAreBoundedAndClosedOnesMakeRoom() {
    try (JobEngine engine = JobEngine.builder().clock(clock).build()) {
      java.util.List<BoundedBuffer<Object>> made = new java.util.ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        made.add(engine.newBuffer("b" + i, BoundedBuffer.Config.reject(1)));
      }
      assertThatThrownBy(() -> engine.newBuffer("one-too-many", BoundedBuffer.Config.reject(1)))
          .isInstanceOf(CapacityExceededException.class)
          .hasMessageContaining("maxBuffers");

      made.get(0).close();
      assertThat(engine.newBuffer("fits-now", BoundedBuffer.Config.reject(1)).name())
          .isEqualTo("fits-now");
      assertThat(engine.stats().buffers()).hasSize(1_000);
    }
  }
}
