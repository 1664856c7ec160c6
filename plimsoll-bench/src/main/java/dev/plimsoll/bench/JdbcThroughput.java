package dev.plimsoll.bench;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobRequest;
import java.util.ArrayList;
import java.util.List;
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
 * Plimsoll on its durable stores, end to end: no-op jobs submitted (batches of {@value #BATCH}) and
 * counted when their SUCCEEDED state is committed; and idle pickup, the time from {@code submit} to
 * the handler starting on an idle engine. {@code postgres-remote} submits on one node and runs on
 * another, so the pickup goes through LISTEN/NOTIFY. Peers: {@link DbSchedulerThroughput}, {@link
 * JobRunrThroughput}; figures in docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class JdbcThroughput {
  static final int JOBS = 20_000;
  static final int BATCH = 500;

  @Param({"sqlite", "postgres", "postgres-remote"})
  public String store;

  @Param({"4"})
  public int workers;

  /** The engine's largest claim (and completion) batch: 1,000 is its limit. */
  @Param({"1000"})
  public int claimBatch;

  private JobEngine runner;
  private JobEngine submitter;
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong succeeded = new AtomicLong();
  private final List<JobRequest> batch = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() {
    String kind = store.startsWith("postgres") ? "postgres" : "sqlite";
    runner =
        BenchDatabase.runner(
            BenchDatabase.plimsollStore(kind, "plimsoll_bench"),
            workers,
            claimBatch,
            started::incrementAndGet,
            succeeded);
    submitter = runner;
    if (store.equals("postgres-remote")) {
      submitter =
          JobEngine.builder()
              .store(
                  dev.plimsoll.jdbc.JdbcJobStore.postgres(BenchDatabase.PG_URL)
                      .user(BenchDatabase.PG_USER)
                      .schema("plimsoll_bench")
                      .poolSize(4)
                      .build())
              .nodeId("submitter")
              .concurrency(1)
              .acceptTypesWithoutHandler(true)
              .start();
    }
    for (int i = 0; i < BATCH; i++) {
      batch.add(JobRequest.of("noop", null));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (submitter != runner) {
      submitter.close();
    }
    runner.close();
  }

  /** End to end: {@value #JOBS} jobs from submit to committed SUCCEEDED. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(JOBS)
  public void endToEnd() {
    long target = succeeded.get() + JOBS;
    for (int sent = 0; sent < JOBS; sent += BATCH) {
      submitter.submitAll(batch);
    }
    BenchDatabase.awaitCount(succeeded::get, target);
  }

  /** Waits until the previous job finished and the workers are idle again. */
  @Setup(Level.Invocation)
  public void idle() {
    BenchDatabase.awaitCount(succeeded::get, started.get());
    BenchDatabase.idleFor(1);
  }

  /** Idle pickup: submit one job on an idle engine, until its handler starts. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void pickup() {
    long before = started.get();
    submitter.submit(batch.get(0));
    BenchDatabase.awaitCount(started::get, before + 1);
  }
}
