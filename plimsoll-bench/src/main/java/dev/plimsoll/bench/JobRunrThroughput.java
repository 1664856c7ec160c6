package dev.plimsoll.bench;

import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;

import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration.JobRunrConfigurationResult;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
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
 * Peer: JobRunr (Maven Central) on the same PostgreSQL server as {@link JdbcThroughput}, in its own
 * schema, with 10 workers and its shortest poll interval (5 s); no-op jobs enqueued as a stream
 * (its batch API) and counted as they execute.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 2, time = 20)
public class JobRunrThroughput {
  static final int JOBS = 5_000;
  static final String SCHEMA = "jobrunr_bench";
  static final AtomicLong EXECUTED = new AtomicLong();

  private final AtomicLong enqueued = new AtomicLong();
  private HikariDataSource pool;
  private JobRunrConfigurationResult jobRunr;
  private JobScheduler scheduler;

  /** The job: JobRunr serializes a call to this public static method. */
  public static void noop() {
    EXECUTED.incrementAndGet();
  }

  @Setup(Level.Trial)
  public void setUp() {
    BenchDatabase.freshSchema(SCHEMA);
    pool = BenchDatabase.pool(SCHEMA, 12);
    jobRunr =
        JobRunr.configure()
            .useStorageProvider(SqlStorageProviderFactory.using(pool, SCHEMA + "."))
            .useBackgroundJobServer(
                usingStandardBackgroundJobServerConfiguration()
                    .andWorkerCount(10)
                    .andPollIntervalInSeconds(5))
            .initialize();
    scheduler = jobRunr.getJobScheduler();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    jobRunr.getBackgroundJobServer().stop();
    pool.close();
  }

  /** End to end: {@value #JOBS} jobs from enqueue to executed. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(JOBS)
  public void endToEnd() {
    long target = EXECUTED.get() + JOBS;
    enqueued.addAndGet(JOBS);
    scheduler.enqueue(IntStream.range(0, JOBS).boxed(), i -> JobRunrThroughput.noop());
    BenchDatabase.awaitCount(EXECUTED::get, target);
  }

  /** Waits until the workers are idle again. */
  @Setup(Level.Invocation)
  public void idle() {
    BenchDatabase.awaitCount(EXECUTED::get, enqueued.get());
    BenchDatabase.idleFor(5_000);
  }

  /** Idle pickup: enqueue one job, until it executes. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void pickup() {
    long before = EXECUTED.get();
    enqueued.incrementAndGet();
    scheduler.enqueue(() -> JobRunrThroughput.noop());
    BenchDatabase.awaitCount(EXECUTED::get, before + 1);
  }
}
