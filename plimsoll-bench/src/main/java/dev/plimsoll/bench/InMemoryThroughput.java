package dev.plimsoll.bench;

import dev.plimsoll.BreakerConfig;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobRequest;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * No-op jobs per second through Plimsoll's in-memory engine with full lifecycle tracking (ids,
 * states, retention, stats, breakers, per-worker samples), beside the same no-op tasks on a bare
 * {@link ThreadPoolExecutor} with a bounded queue, in the same run.
 *
 * <p>One producer thread submits {@value #JOBS} jobs per invocation and waits until all have run.
 * Both sides have {@code workers} threads, a 10,000-slot queue and block the producer when it is
 * full (Plimsoll's BLOCK policy; the executor's queue {@code put}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class InMemoryThroughput {
  static final int JOBS = 100_000;
  static final int QUEUE = 10_000;

  @Param({"2"})
  public int workers;

  private JobEngine engine;
  private ThreadPoolExecutor executor;
  private final AtomicLong done = new AtomicLong();
  private final List<JobRequest> batch = new ArrayList<>();
  private final JobRequest noop = JobRequest.of("noop", null);
  private final Runnable task = done::incrementAndGet;

  @Setup(Level.Trial)
  public void setUp() {
    engine =
        JobEngine.builder()
            .concurrency(workers)
            .defaultQueue(QueueConfig.block(QUEUE, Duration.ofMinutes(1)))
            .retention(RetentionPolicy.FINISHED_DEFAULT)
            .breaker(BreakerConfig.DEFAULT)
            .handler(
                "noop",
                ctx -> {
                  done.incrementAndGet();
                  return null;
                })
            .start();
    executor =
        new ThreadPoolExecutor(
            workers,
            workers,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            (r, pool) -> {
              try {
                pool.getQueue().put(r);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    for (int i = 0; i < 100; i++) {
      batch.add(noop);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
    executor.shutdownNow();
  }

  /** Plimsoll, one {@code submit} per job. */
  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void plimsoll() {
    long target = done.get() + JOBS;
    for (int i = 0; i < JOBS; i++) {
      engine.submit(noop);
    }
    awaitDone(target);
  }

  /** Plimsoll, {@code submitAll} in batches of 100. */
  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void plimsollBatched() {
    long target = done.get() + JOBS;
    for (int i = 0; i < JOBS; i += batch.size()) {
      engine.submitAll(batch);
    }
    awaitDone(target);
  }

  /** The anchor: the same no-op tasks on a bare bounded ThreadPoolExecutor. */
  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void threadPoolExecutor() {
    long target = done.get() + JOBS;
    for (int i = 0; i < JOBS; i++) {
      executor.execute(task);
    }
    awaitDone(target);
  }

  private void awaitDone(long target) {
    while (done.get() < target) {
      Thread.onSpinWait();
    }
  }
}
