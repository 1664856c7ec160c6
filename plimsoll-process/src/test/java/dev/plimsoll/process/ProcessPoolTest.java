package dev.plimsoll.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.process.micrometer.ProcessPoolMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeftovers.class)
class ProcessPoolTest {
  @TempDir Path dir;

  private static ProcessPoolConfig.Builder config() {
    return ProcessPoolConfig.builder()
        .name("test")
        .maxConcurrency(2)
        .killGrace(Duration.ofMillis(500))
        .shutdownGrace(Duration.ofSeconds(5));
  }

  /** A command that blocks until the test creates {@code gate}. */
  private static CommandRequest waitFor(Path gate) {
    return CommandRequest.builder(
            "sh", "-c", "while [ ! -e \"$GATE\" ]; do sleep 0.02; done; echo released")
        .env("GATE", gate.toString())
        .build();
  }

  @Test
  void aCommandGetsItsStdinEnvironmentAndWorkingDirectoryAndReportsItsExitCode() throws Exception {
    try (ProcessPool pool = ProcessPool.create(config().build())) {
      CommandResult result =
          pool.run(
              CommandRequest.builder(
                      "sh", "-c", "cat; echo \" $GREETING from $(pwd)\"; echo oops >&2; exit 3")
                  .stdin("hello")
                  .env("GREETING", "hi")
                  .cwd(dir)
                  .build());

      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.succeeded()).isFalse();
      assertThat(result.timedOut()).isFalse();
      assertThat(result.stdoutText()).isEqualTo("hello hi from " + dir.toRealPath() + "\n");
      assertThat(result.stderrText()).isEqualTo("oops\n");
      assertThat(result.stdoutTruncated()).isFalse();
      ProcessPoolStats stats = pool.stats();
      assertThat(stats.totalProcessed()).isEqualTo(1);
      assertThat(stats.totalErrors()).isEqualTo(1);
    }
  }

  @Test
  void stdinLargerThanAPipeBufferIsFedWhileOutputIsReadAndIgnoredStdinDoesNotHang()
      throws Exception {
    byte[] input = new byte[1024 * 1024];
    java.util.Arrays.fill(input, (byte) 'z');
    try (ProcessPool pool = ProcessPool.create(config().build())) {
      CommandResult echoed = pool.run(CommandRequest.builder("cat").stdin(input).build());
      assertThat(echoed.stdout()).isEqualTo(input);
      CommandResult ignored =
          pool.run(
              CommandRequest.builder("true").stdin(input).timeout(Duration.ofSeconds(20)).build());
      assertThat(ignored.succeeded()).isTrue();
    }
  }

  @Test
  void anEnvironmentThatIsNotInheritedHoldsOnlyTheGivenVariables() throws Exception {
    try (ProcessPool pool = ProcessPool.create(config().build())) {
      CommandResult result =
          pool.run(
              CommandRequest.builder("/usr/bin/env")
                  .inheritEnvironment(false)
                  .env("A", "1")
                  .build());
      assertThat(result.stdoutText()).isEqualTo("A=1\n");
    }
  }

  @Test
  void aProgramThatDoesNotExistFailsWithAStartError() {
    try (ProcessPool pool = ProcessPool.create(config().build())) {
      assertThatThrownBy(() -> pool.run(CommandRequest.of("/nonexistent/program")))
          .isInstanceOf(ProcessStartException.class)
          .hasMessageContaining("/nonexistent/program");
      assertThat(pool.stats().totalErrors()).isEqualTo(1);
    }
  }

  @Test
  void aCrashingCommandReportsTheSignalAsItsExitCode() throws Exception {
    try (ProcessPool pool = ProcessPool.create(config().build())) {
      CommandResult result = pool.run(CommandRequest.of("sh", "-c", "echo before; kill -SEGV $$"));
      assertThat(result.exitCode()).isEqualTo(128 + 11);
      assertThat(result.stdoutText()).isEqualTo("before\n");
      assertThat(pool.stats().totalErrors()).isEqualTo(1);
    }
  }

  @Test
  void aTimeoutKillsTheWholeTreeIncludingGrandchildrenThatIgnoreTerm() throws Exception {
    Path pids = dir.resolve("pids");
    // The child starts a grandchild that ignores TERM and a great-grandchild below it, records
    // their pids, then waits forever.
    String script =
        "sh -c 'trap \"\" TERM; sleep 300 & echo $! >> \"$PIDS\"; echo $$ >> \"$PIDS\"; wait' &"
            + " sleep 300 & echo $! >> \"$PIDS\"; echo started; wait";
    try (ProcessPool pool = ProcessPool.create(config().build())) {
      CommandResult result =
          pool.run(
              CommandRequest.builder("sh", "-c", script)
                  .env("PIDS", pids.toString())
                  .timeout(Duration.ofSeconds(2)) // time to record the pids on a loaded machine
                  .build());

      assertThat(result.timedOut()).isTrue();
      assertThat(result.succeeded()).isFalse();
      assertThat(result.stdoutText()).isEqualTo("started\n");
      assertThat(result.duration()).isLessThan(Duration.ofSeconds(8));
      List<Long> recorded = NoLeftovers.pidsIn(pids);
      assertThat(recorded).hasSize(3);
      recorded.forEach(NoLeftovers::watch);
      assertThat(recorded.stream().filter(NoLeftovers::running).toList()).isEmpty();
      assertThat(pool.stats().totalTimedOut()).isEqualTo(1);
    }
  }

  @Test
  void aBackgroundProcessLeftBehindByAFinishedCommandIsStopped() throws Exception {
    Path pids = dir.resolve("pids");
    // The subshell exits at once, so the sleep is re-parented away from the child: only the
    // process group still links it to the call.
    String script = "(sleep 300 >/dev/null 2>&1 & echo $! > \"$PIDS\"); echo done";
    try (ProcessPool pool = ProcessPool.create(config().build())) {
      CommandResult result =
          pool.run(CommandRequest.builder("sh", "-c", script).env("PIDS", pids.toString()).build());

      assertThat(result.succeeded()).isTrue();
      long orphan = NoLeftovers.pidsIn(pids).get(0);
      NoLeftovers.watch(orphan);
      assertThat(NoLeftovers.running(orphan)).isFalse();
    }
  }

  @Test
  void aHundredMebibytesOfOutputKeepOnlyTheCapAndFlagTruncation() throws Exception {
    try (ProcessPool pool = ProcessPool.create(config().build())) {
      CommandResult result =
          pool.run(
              CommandRequest.of(
                  "sh", "-c", "head -c 104857600 /dev/zero; head -c 3000000 /dev/zero >&2"));

      assertThat(result.succeeded()).isTrue();
      assertThat(result.stdout()).hasSize(ProcessPoolConfig.DEFAULT_OUTPUT_CAP);
      assertThat(result.stdoutTotalBytes()).isEqualTo(104_857_600L);
      assertThat(result.stdoutTruncated()).isTrue();
      assertThat(result.stderr()).hasSize(ProcessPoolConfig.DEFAULT_OUTPUT_CAP);
      assertThat(result.stderrTotalBytes()).isEqualTo(3_000_000L);
      assertThat(result.stderrTruncated()).isTrue();
    }
  }

  @Test
  void aFullQueueRejectsWithAnErrorNamingTheBoundAndChangesNothing() throws Exception {
    Path gate = dir.resolve("gate");
    try (ProcessPool pool =
        ProcessPool.create(config().name("q").maxConcurrency(1).queueCapacity(2).build())) {
      CompletableFuture<CommandResult> running = pool.submit(waitFor(gate));
      await().until(() -> pool.stats().activeProcesses() == 1);
      CompletableFuture<CommandResult> second = pool.submit(waitFor(gate));
      CompletableFuture<CommandResult> third = pool.submit(waitFor(gate));

      assertThatThrownBy(() -> pool.submit(waitFor(gate)))
          .isInstanceOf(CapacityExceededException.class)
          .hasMessage("process pool 'q' queue is at its limit of 2")
          .satisfies(
              e ->
                  assertThat(((CapacityExceededException) e).code())
                      .isEqualTo("capacity_exceeded"));
      ProcessPoolStats stats = pool.stats();
      assertThat(stats.totalRejected()).isEqualTo(1);
      assertThat(stats.queuedTasks()).isEqualTo(2);
      assertThat(stats.peakQueueSize()).isEqualTo(2);
      assertThat(stats.utilizationPercent()).isEqualTo(100.0);

      Files.createFile(gate);
      for (CompletableFuture<CommandResult> f : List.of(running, second, third)) {
        assertThat(f.get().stdoutText()).isEqualTo("released\n");
      }
      assertThat(pool.stats().totalProcessed()).isEqualTo(3);
      assertThat(pool.stats().totalQueued()).isEqualTo(3);
    }
  }

  @Test
  void stdinOverTheLimitIsRefusedNamingTheSetting() {
    try (ProcessPool pool = ProcessPool.create(config().maxStdinBytes(4).build())) {
      assertThatThrownBy(() -> pool.submit(CommandRequest.builder("cat").stdin("12345").build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("stdin is 5 bytes, over the limit of 4 (maxStdinBytes");
      assertThat(pool.stats().totalQueued()).isZero();
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheSettingAndTheLimit() {
    assertThatThrownBy(() -> ProcessPoolConfig.builder().maxConcurrency(0))
        .hasMessage("maxConcurrency must be between 1 and 1024, was 0");
    assertThatThrownBy(() -> ProcessPoolConfig.builder().defaultTimeout(Duration.ZERO))
        .hasMessage("defaultTimeout must be positive, was PT0S");
    assertThatThrownBy(() -> CommandRequest.of()).hasMessage("argv must name a program, was empty");
    assertThatThrownBy(() -> CommandRequest.builder("sh").env("A=B", "x"))
        .hasMessageContaining("env name must be non-empty without '='");
  }

  @Test
  void cancellingACallStopsItsProcessTree() throws Exception {
    try (ProcessPool pool = ProcessPool.create(config().build())) {
      CompletableFuture<CommandResult> call = pool.submit(CommandRequest.of("sleep", "300"));
      await().until(() -> ProcessHandle.current().children().count() == 1);
      call.cancel(true);
      await().until(() -> pool.stats().activeProcesses() == 0);
      assertThatThrownBy(call::get).isInstanceOf(CancellationException.class);
    }
  }

  @Test
  void shutdownFailsQueuedCallsAndKillsRunningOnesAfterTheGracePeriod() throws Exception {
    Path started = dir.resolve("started");
    ProcessPool pool =
        ProcessPool.create(config().name("s").maxConcurrency(1).queueCapacity(5).build());
    // Ignores TERM, so only KILL after the grace period ends it.
    CompletableFuture<CommandResult> running =
        pool.submit(
            CommandRequest.builder(
                    "sh", "-c", "trap '' TERM; touch \"$STARTED\"; while true; do sleep 0.05; done")
                .env("STARTED", started.toString())
                .build());
    CompletableFuture<CommandResult> queued = pool.submit(CommandRequest.of("true"));
    await().until(() -> Files.exists(started));

    long before = System.nanoTime();
    pool.shutdown(Duration.ofMillis(300));
    Duration took = Duration.ofNanos(System.nanoTime() - before);

    assertThatThrownBy(queued::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(EngineClosedException.class)
        .hasMessageContaining("shutting down");
    assertThatThrownBy(running::get)
        .cause()
        .isInstanceOf(EngineClosedException.class)
        .hasMessageContaining("killed");
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(300))
        .isLessThan(Duration.ofSeconds(5));
    assertThat(ProcessHandle.current().descendants().count()).isZero();
    assertThatThrownBy(() -> pool.submit(CommandRequest.of("true")))
        .isInstanceOf(EngineClosedException.class)
        .hasMessage("process pool 's' is shutting down");
    pool.close(); // idempotent
    assertThat(pool.stats().totalErrors()).isEqualTo(2);
  }

  @Test
  void aThousandCallsThroughAPoolOfFourNeverRunMoreThanFourProcesses() throws Exception {
    AtomicInteger maxChildren = new AtomicInteger();
    int calls = Integer.getInteger("plimsoll.test.calls", 1000);
    try (ProcessPool pool =
        ProcessPool.create(config().name("many").maxConcurrency(4).queueCapacity(calls).build())) {
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  int n = (int) ProcessHandle.current().children().count();
                  maxChildren.accumulateAndGet(n, Math::max);
                  LockSupport.parkNanos(100_000); // pace the sampler, leave the CPUs to the pool
                }
              },
              "test-sampler");
      sampler.start();
      List<CompletableFuture<CommandResult>> results = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        results.add(pool.submit(CommandRequest.of("sh", "-c", "echo " + i)));
      }
      for (int i = 0; i < calls; i++) {
        assertThat(results.get(i).get().stdoutText()).isEqualTo(i + "\n");
      }
      sampler.interrupt();
      sampler.join();

      ProcessPoolStats stats = pool.stats();
      assertThat(stats.totalProcessed()).isEqualTo(calls);
      assertThat(stats.totalErrors()).isZero();
      assertThat(stats.peakActive()).isEqualTo(4);
      assertThat(maxChildren.get()).isBetween(1, 4);
      assertThat(poolThreads("plimsoll-process-many-runner")).isLessThanOrEqualTo(4);
      assertThat(poolThreads("plimsoll-process-many-io")).isLessThanOrEqualTo(12);
    }
    assertThat(ProcessHandle.current().descendants().count()).isZero();
  }

  private static long poolThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix))
        .count();
  }

  @Test
  void statsAreExportedAsMicrometerMeters() throws Exception {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (ProcessPool pool = ProcessPool.create(config().name("m").build())) {
      new ProcessPoolMetrics(pool).bindTo(registry);
      pool.run(CommandRequest.of("true"));
      pool.run(CommandRequest.of("false"));
      assertThat(
              registry
                  .get("plimsoll.process.calls.processed")
                  .tag("pool", "m")
                  .functionCounter()
                  .count())
          .isEqualTo(2.0);
      assertThat(registry.get("plimsoll.process.calls.errors").functionCounter().count())
          .isEqualTo(1.0);
      assertThat(registry.get("plimsoll.process.max.concurrency").gauge().value()).isEqualTo(2.0);
    }
  }
}
