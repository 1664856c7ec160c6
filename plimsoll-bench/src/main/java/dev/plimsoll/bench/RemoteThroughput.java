package dev.plimsoll.bench;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobRequest;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.RemoteClaim;
import dev.plimsoll.RemoteLease;
import dev.plimsoll.RemoteWorkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's cost of remote work: jobs per second through submit → {@link RemoteWorkers#claim} →
 * {@link RemoteWorkers#succeed} on the in-memory store (no HTTP: that is the server's), beside the
 * same jobs run by a local no-op handler in the same run (the anchor).
 *
 * <p>Remote: one thread submits 100 jobs with {@code submitAll}, claims them (100 per claim, no
 * wait), and reports each a success (one heartbeat per claim as well). Local: one thread submits
 * batches of 100 to 2 workers and waits until all have run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class RemoteThroughput {
  static final int JOBS = 100_000;
  static final int BATCH = 100;

  private JobEngine engine;
  private RemoteWorkers remote;
  private final AtomicLong done = new AtomicLong();
  private final List<JobRequest> remoteBatch = new ArrayList<>();
  private final List<JobRequest> localBatch = new ArrayList<>();
  private final RemoteClaim claim =
      new RemoteClaim("bench", Set.of("remote"), BATCH, Duration.ZERO);
  private final byte[] result = new byte[16];

  @Setup(Level.Trial)
  public void setUp() {
    engine =
        JobEngine.builder()
            .concurrency(2)
            .defaultQueue(QueueConfig.block(10_000, Duration.ofMinutes(1)))
            .acceptTypesWithoutHandler(true)
            .handler(
                "noop",
                ctx -> {
                  done.incrementAndGet();
                  return null;
                })
            .start();
    remote = engine.remoteWorkers();
    for (int i = 0; i < BATCH; i++) {
      remoteBatch.add(JobRequest.of("remote", null));
      localBatch.add(JobRequest.of("noop", null));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  /** submitAll(100) → claim(100) → 100 × succeed, one heartbeat per claim. */
  @Benchmark
  @OperationsPerInvocation(JOBS)
  public long remoteClaimAndSucceed() throws Exception {
    long reported = 0;
    for (int i = 0; i < JOBS; i += BATCH) {
      engine.submitAll(remoteBatch);
      List<RemoteLease> got = remote.claim(claim).get();
      remote.heartbeat(got.get(0).job().id(), got.get(0).token());
      for (RemoteLease l : got) {
        if (remote.succeed(l.job().id(), l.token(), result)) {
          reported++;
        }
      }
    }
    return reported;
  }

  /** Anchor: submitAll(100) to 2 local workers running a no-op handler, until all have run. */
  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void localHandlerAnchor() {
    long target = done.get() + JOBS;
    for (int i = 0; i < JOBS; i += BATCH) {
      engine.submitAll(localBatch);
    }
    while (done.get() < target) {
      Thread.onSpinWait();
    }
  }
}
