package dev.plimsoll.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.process.WorkerTaskException.Reason;
import dev.plimsoll.process.micrometer.ProcessPoolMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeftovers.class)
class WorkerPoolTest {
  private static final long MIB = 1024 * 1024;
  @TempDir Path dir;

  @BeforeEach
  void copyWorkers() throws IOException {
    copy("/dev/plimsoll/process/plimsoll_worker.py", dir.resolve("plimsoll_worker.py"));
    copy("/test_worker.py", dir.resolve("test_worker.py"));
  }

  private static void copy(String resource, Path to) throws IOException {
    try (InputStream in = WorkerPoolTest.class.getResourceAsStream(resource)) {
      Files.copy(in, to);
    }
  }

  private WorkerPoolConfig.Builder config() {
    return WorkerPoolConfig.builder("python3", dir.resolve("test_worker.py").toString())
        .name("test")
        .workers(1)
        .killGrace(Duration.ofMillis(500))
        .shutdownGrace(Duration.ofSeconds(5))
        .restartBackoff(Duration.ofMillis(50), Duration.ofSeconds(1));
  }

  private static long pid(WorkerPool pool) throws InterruptedException {
    return Long.parseLong(pool.call("{\"op\":\"pid\"}"));
  }

  @Test
  void aTaskRoundTripsAsJsonAndATaskErrorKeepsTheWorker() throws Exception {
    try (WorkerPool pool = WorkerPool.start(config().build())) {
      assertThat(pool.call("{\"op\":\"echo\",\"value\":{\"a\":[1, 2, \"x\\ny\"]}}"))
          .isEqualTo("{\"a\":[1,2,\"x\\ny\"]}");
      long first = pid(pool);
      assertThatThrownBy(() -> pool.call("{\"op\":\"fail\",\"message\":\"bad input\"}"))
          .isInstanceOf(WorkerTaskException.class)
          .hasMessageContaining("ValueError: bad input")
          .satisfies(
              e -> assertThat(((WorkerTaskException) e).reason()).isEqualTo(Reason.TASK_ERROR));
      assertThat(pool.call("{\"op\":\"print\"}")).isEqualTo("\"printed\"");
      assertThat(pid(pool)).isEqualTo(first);
      WorkerPoolStats stats = pool.stats();
      assertThat(stats.workersStarted()).isEqualTo(1);
      assertThat(stats.tasks().totalProcessed()).isEqualTo(5);
      assertThat(stats.tasks().totalErrors()).isEqualTo(1);
    }
  }

  @Test
  void aWorkerIsRecycledAfterMaxTasks() throws Exception {
    try (WorkerPool pool = WorkerPool.start(config().maxTasksPerWorker(3).build())) {
      List<Long> pids = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        pids.add(pid(pool));
      }
      assertThat(pids.subList(0, 3)).containsOnly(pids.get(0));
      assertThat(pids.subList(3, 6)).containsOnly(pids.get(3));
      assertThat(new HashSet<>(pids)).hasSize(3);
      assertThat(pool.stats().recycledAfterTasks()).isEqualTo(2);
      assertThat(pool.stats().liveWorkers()).isEqualTo(1);
    }
  }

  @Test
  void aWorkerAllocatingPastTheLimitDuringATaskIsKilledAndOnlyThatTaskFails() throws Exception {
    try (WorkerPool pool =
        WorkerPool.start(
            config()
                .maxMemoryBytes(100 * MIB)
                .memoryCheckInterval(Duration.ofMillis(20))
                .build())) {
      long before = pid(pool);
      // Would reach 600 MiB and hold it 30 s if nothing stopped it.
      assertThatThrownBy(() -> pool.call("{\"op\":\"allocate\",\"mb\":600,\"hold\":30}"))
          .isInstanceOf(WorkerTaskException.class)
          .hasMessageContaining("memory limit exceeded")
          .hasMessageContaining("over maxMemoryBytes 100.0 MiB")
          .satisfies(
              e ->
                  assertThat(((WorkerTaskException) e).reason())
                      .isEqualTo(Reason.MEMORY_LIMIT_EXCEEDED));
      assertThat(NoLeftovers.running(before)).isFalse();
      long after = pid(pool);
      assertThat(after).isNotEqualTo(before);
      assertThat(pool.stats().killedForMemory()).isEqualTo(1);
    }
  }

  @Test
  void aWorkerOverTheLimitBetweenTasksIsRecycledWithoutFailingATask() throws Exception {
    // Memory is never read during a task here (interval far longer than the test), only between.
    try (WorkerPool pool =
        WorkerPool.start(
            config().maxMemoryBytes(100 * MIB).memoryCheckInterval(Duration.ofHours(1)).build())) {
      long first =
          Long.parseLong(pool.call("{\"op\":\"allocate\",\"mb\":160,\"keep\":true,\"pause\":0}"));
      long second = pid(pool);
      assertThat(second).isNotEqualTo(first);
      assertThat(NoLeftovers.running(first)).isFalse();
      WorkerPoolStats stats = pool.stats();
      assertThat(stats.recycledForMemory()).isEqualTo(1);
      assertThat(stats.killedForMemory()).isZero();
      assertThat(stats.tasks().totalErrors()).isZero();
    }
  }

  @Test
  void aCrashFailsOnlyItsTaskAndTheWorkerIsRestartedAfterABackoff() throws Exception {
    try (WorkerPool pool =
        WorkerPool.start(
            config().restartBackoff(Duration.ofMillis(400), Duration.ofSeconds(2)).build())) {
      long before = pid(pool);
      CompletableFuture<String> crash = pool.submit("{\"op\":\"crash\",\"code\":7}");
      CompletableFuture<String> next = pool.submit("{\"op\":\"started\"}");

      assertThatThrownBy(crash::get)
          .cause()
          .isInstanceOf(WorkerTaskException.class)
          .hasMessageContaining("worker exited with code 7 while running the task")
          .hasMessageContaining("about to crash at");
      String message = crash.handle((r, e) -> e.getMessage()).get();
      double crashedAt =
          Double.parseDouble(message.replaceAll("(?s).*about to crash at ([0-9.]+).*", "$1"));
      double restartedAt = Double.parseDouble(next.get());

      // The next worker started no earlier than the backoff after the crash.
      assertThat(restartedAt - crashedAt).isGreaterThanOrEqualTo(0.4);
      assertThat(pid(pool)).isNotEqualTo(before);
      WorkerPoolStats stats = pool.stats();
      assertThat(stats.crashes()).isEqualTo(1);
      assertThat(stats.workersStarted()).isEqualTo(2);
      assertThat(stats.tasks().totalErrors()).isEqualTo(1);
    }
  }

  @Test
  void aWorkerThatDoesNotAnswerInTimeIsStoppedAndTheTaskTimesOut() throws Exception {
    // Long enough for a Python start-up on a loaded machine: the first task's time includes it.
    try (WorkerPool pool = WorkerPool.start(config().taskTimeout(Duration.ofSeconds(3)).build())) {
      long before = pid(pool);
      assertThatThrownBy(() -> pool.call("{\"op\":\"sleep\",\"seconds\":30}"))
          .isInstanceOf(WorkerTaskException.class)
          .satisfies(
              e -> assertThat(((WorkerTaskException) e).reason()).isEqualTo(Reason.TIMED_OUT));
      assertThat(NoLeftovers.running(before)).isFalse();
      assertThat(pid(pool)).isNotEqualTo(before);
      assertThat(pool.stats().tasks().totalTimedOut()).isEqualTo(1);
    }
  }

  @Test
  void aWorkerWritingSomethingOtherThanAnAnswerIsKilledWithAProtocolError() throws Exception {
    try (WorkerPool pool = WorkerPool.start(config().build())) {
      assertThatThrownBy(() -> pool.call("{\"op\":\"garbage\"}"))
          .isInstanceOf(WorkerTaskException.class)
          .hasMessageContaining("this is not json")
          .satisfies(
              e -> assertThat(((WorkerTaskException) e).reason()).isEqualTo(Reason.PROTOCOL_ERROR));
      assertThat(pool.call("{\"op\":\"echo\",\"value\":1}")).isEqualTo("1");
    }
  }

  @Test
  void aPayloadThatIsNotOneJsonValueIsRefusedAndNothingIsQueued() {
    try (WorkerPool pool = WorkerPool.start(config().maxPayloadBytes(32).build())) {
      assertThatThrownBy(() -> pool.submit("{\"op\":"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("payload is not valid JSON");
      assertThatThrownBy(() -> pool.submit("1 2"))
          .hasMessage("payload must be one JSON value, found more after it");
      assertThatThrownBy(() -> pool.submit("\"" + "x".repeat(40) + "\""))
          .hasMessageContaining("over the limit of 32 (maxPayloadBytes of worker pool 'test')");
      assertThat(pool.stats().tasks().totalQueued()).isZero();
      assertThat(pool.stats().workersStarted()).isZero();
    }
  }

  @Test
  void aMissingWorkerProgramFailsTheTaskAsACrash() {
    try (WorkerPool pool =
        WorkerPool.start(WorkerPoolConfig.builder("/nonexistent/worker").workers(1).build())) {
      assertThatThrownBy(() -> pool.call("1"))
          .isInstanceOf(WorkerTaskException.class)
          .hasMessageContaining("worker could not start")
          .hasMessageContaining("/nonexistent/worker");
    }
  }

  @Test
  void aFullQueueRejectsAndShutdownFailsQueuedTasksAndKillsRunningWorkers() throws Exception {
    WorkerPool pool = WorkerPool.start(config().name("s").queueCapacity(2).build());
    long worker = pid(pool);
    CompletableFuture<String> running = pool.submit("{\"op\":\"sleep\",\"seconds\":60}");
    await().until(() -> pool.stats().tasks().activeProcesses() == 1);
    CompletableFuture<String> queued1 = pool.submit("{\"op\":\"pid\"}");
    CompletableFuture<String> queued2 = pool.submit("{\"op\":\"pid\"}");
    assertThatThrownBy(() -> pool.submit("{\"op\":\"pid\"}"))
        .isInstanceOf(CapacityExceededException.class)
        .hasMessage("worker pool 's' queue is at its limit of 2");

    long before = System.nanoTime();
    pool.shutdown(Duration.ofMillis(300));
    Duration took = Duration.ofNanos(System.nanoTime() - before);

    for (CompletableFuture<String> q : List.of(queued1, queued2)) {
      assertThatThrownBy(q::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(EngineClosedException.class)
          .hasMessageContaining("shutting down");
    }
    assertThatThrownBy(running::get)
        .cause()
        .isInstanceOf(EngineClosedException.class)
        .hasMessageContaining("worker was killed");
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(300))
        .isLessThan(Duration.ofSeconds(5));
    assertThat(NoLeftovers.running(worker)).isFalse();
    assertThat(ProcessHandle.current().descendants().count()).isZero();
    assertThat(pool.stats().liveWorkers()).isZero();
    assertThatThrownBy(() -> pool.submit("1")).isInstanceOf(EngineClosedException.class);
    pool.close();
  }

  @Test
  void closingAnIdlePoolStopsItsWorkersGracefully() throws Exception {
    WorkerPool pool = WorkerPool.start(config().workers(3).build());
    Set<Long> pids = new HashSet<>();
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      calls.add(pool.submit("{\"op\":\"pid\"}"));
    }
    for (CompletableFuture<String> c : calls) {
      pids.add(Long.parseLong(c.get()));
    }
    assertThat(pids).hasSizeBetween(1, 3);
    pool.close();
    assertThat(pids.stream().filter(NoLeftovers::running).toList()).isEmpty();
    assertThat(pool.stats().tasks().peakActive()).isLessThanOrEqualTo(3);
  }

  @Test
  void workerStatsAreExportedAsMicrometerMeters() throws Exception {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (WorkerPool pool = WorkerPool.start(config().name("wm").maxTasksPerWorker(1).build())) {
      new ProcessPoolMetrics(pool).bindTo(registry);
      pid(pool);
      pid(pool);
      assertThat(
              registry
                  .get("plimsoll.process.workers.recycled")
                  .tag("reason", "tasks")
                  .functionCounter()
                  .count())
          .isEqualTo(2.0);
      assertThat(
              registry
                  .get("plimsoll.process.calls.processed")
                  .tag("kind", "worker")
                  .functionCounter()
                  .count())
          .isEqualTo(2.0);
    }
  }
}
