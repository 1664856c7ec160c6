package dev.plimsoll.bench;

import dev.plimsoll.process.CommandRequest;
import dev.plimsoll.process.CommandResult;
import dev.plimsoll.process.ProcessPool;
import dev.plimsoll.process.ProcessPoolConfig;
import dev.plimsoll.process.WorkerPool;
import dev.plimsoll.process.WorkerPoolConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Process pool throughput, each figure beside its anchor from the same run (2 benchmark threads,
 * pools of 2):
 *
 * <ul>
 *   <li>{@code oneShotTrue}: {@link ProcessPool#run} of {@code true} (setsid wrapper, output
 *       readers, tree sweep after exit); anchor {@code bareProcessBuilderTrue}: {@code
 *       ProcessBuilder("true").start().waitFor()} with nothing else, and {@code bareSetsidTrue},
 *       the same through {@code setsid} (the pool starts every child that way on Linux, one extra
 *       exec).
 *   <li>{@code workerRoundTrip}: one task through a {@link WorkerPool} of the shipped Python
 *       reference worker (echo); anchor {@code bareWorkerRoundTrip}: one line written to and read
 *       from the same Python worker over its pipes, per thread, with no pool in between.
 * </ul>
 *
 * Run: see docs/benchmarks.md, section "Process pool".
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(2)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class ProcessPoolBench {

  /** Pools shared by the benchmark threads. */
  @State(Scope.Benchmark)
  public static class Pools {
    Path dir;
    ProcessPool pool;
    WorkerPool workers;
    final CommandRequest trueCommand = CommandRequest.of("true");

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = extractWorker();
      pool =
          ProcessPool.create(ProcessPoolConfig.builder().name("bench").maxConcurrency(2).build());
      workers =
          WorkerPool.start(
              WorkerPoolConfig.builder("python3", dir.resolve("plimsoll_worker.py").toString())
                  .name("bench")
                  .workers(2)
                  .build());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      pool.close();
      workers.close();
      deleteWorker(dir);
    }
  }

  /** A Python reference worker per benchmark thread, driven directly over its pipes. */
  @State(Scope.Thread)
  public static class BareWorker {
    Path dir;
    Process process;
    OutputStream stdin;
    BufferedReader stdout;
    long id;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = extractWorker();
      process =
          new ProcessBuilder("python3", dir.resolve("plimsoll_worker.py").toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      stdin = process.getOutputStream();
      stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      stdin.close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      deleteWorker(dir);
    }
  }

  @Benchmark
  public int oneShotTrue(Pools pools) throws InterruptedException {
    CommandResult result = pools.pool.run(pools.trueCommand);
    return result.exitCode();
  }

  @Benchmark
  public int bareProcessBuilderTrue() throws IOException, InterruptedException {
    return new ProcessBuilder("true").start().waitFor();
  }

  /** Anchor for the cost of the process group: the same extra exec the pool pays on Linux. */
  @Benchmark
  public int bareSetsidTrue() throws IOException, InterruptedException {
    return new ProcessBuilder("setsid", "true").start().waitFor();
  }

  @Benchmark
  public String workerRoundTrip(Pools pools) throws InterruptedException {
    return pools.workers.call("1");
  }

  @Benchmark
  public String bareWorkerRoundTrip(BareWorker w) throws IOException {
    w.stdin.write(("{\"id\":" + (++w.id) + ",\"payload\":1}\n").getBytes(StandardCharsets.UTF_8));
    w.stdin.flush();
    String line = w.stdout.readLine();
    if (line == null) {
      throw new IllegalStateException("the bare worker exited");
    }
    return line;
  }

  static Path extractWorker() throws IOException {
    Path dir = Files.createTempDirectory("plimsoll-bench-worker");
    try (InputStream in =
        WorkerPool.class.getResourceAsStream("/dev/plimsoll/process/plimsoll_worker.py")) {
      Files.copy(in, dir.resolve("plimsoll_worker.py"));
    }
    return dir;
  }

  static void deleteWorker(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve("plimsoll_worker.py"));
    Files.deleteIfExists(dir);
  }
}
