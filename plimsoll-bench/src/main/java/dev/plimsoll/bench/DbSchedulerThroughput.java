package dev.plimsoll.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
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
 * Peer: db-scheduler (Maven Central) on the same PostgreSQL server as {@link JdbcThroughput}, in
 * its own schema, with its lock-and-fetch polling and a 100 ms poll ({@link #config}); no-op
 * one-time tasks scheduled in batches of {@value #BATCH} and counted as they execute.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class DbSchedulerThroughput {
  static final int JOBS = 5_000;
  static final int BATCH = 500;
  static final String SCHEMA = "dbscheduler_bench";

  /**
   * Threads, then lock-and-fetch's lower and upper limits as fractions of the threads: the README's
   * "normal usage" (10 threads, 0.5, 1.0) and the configuration of its own throughput benchmark (20
   * threads, 4.0, 20.0), which does about three times as much here.
   */
  @Param({"20t-4.0-20.0", "10t-0.5-1.0"})
  public String config;

  private HikariDataSource pool;
  private Scheduler scheduler;
  private OneTimeTask<Void> task;
  private final AtomicLong executed = new AtomicLong();
  private final AtomicLong scheduled = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() {
    createSchema(SCHEMA);
    String[] c = config.split("-");
    int threads = Integer.parseInt(c[0].replace("t", ""));
    pool = BenchDatabase.pool(SCHEMA, threads + 2);
    task = Tasks.oneTime("noop").execute((instance, context) -> executed.incrementAndGet());
    scheduler =
        Scheduler.create(pool, task)
            .threads(threads)
            .pollingInterval(Duration.ofMillis(100))
            .pollUsingLockAndFetch(Double.parseDouble(c[1]), Double.parseDouble(c[2]))
            .build();
    scheduler.start();
  }

  /** Drops and creates {@code schema} with db-scheduler's PostgreSQL table and indexes. */
  static void createSchema(String schema) {
    BenchDatabase.freshSchema(
        schema,
        "CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL,"
            + " task_data BYTEA, execution_time TIMESTAMPTZ NOT NULL, picked BOOLEAN NOT NULL,"
            + " picked_by TEXT, last_success TIMESTAMPTZ, last_failure TIMESTAMPTZ,"
            + " consecutive_failures INT, last_heartbeat TIMESTAMPTZ, version BIGINT NOT NULL,"
            + " priority SMALLINT, PRIMARY KEY (task_name, task_instance))",
        "CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)",
        "CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
        "CREATE INDEX priority_execution_time_idx ON scheduled_tasks"
            + " (priority DESC, execution_time ASC)");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    scheduler.stop();
    pool.close();
  }

  /** End to end: {@value #JOBS} tasks from schedule to executed. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(JOBS)
  public void endToEnd() {
    long target = executed.get() + JOBS;
    for (int sent = 0; sent < JOBS; sent += BATCH) {
      List<TaskInstance<?>> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        batch.add(task.instance("t" + scheduled.incrementAndGet()));
      }
      scheduler.scheduleBatch(batch, Instant.now());
    }
    BenchDatabase.awaitCount(executed::get, target);
  }

  /** Waits until the workers are idle again. */
  @Setup(Level.Invocation)
  public void idle() {
    BenchDatabase.awaitCount(executed::get, scheduled.get());
    BenchDatabase.idleFor(100);
  }

  /** Idle pickup: schedule one task for now, until it executes. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void pickup() {
    long before = executed.get();
    scheduler.schedule(task.instance("t" + scheduled.incrementAndGet()), Instant.now());
    BenchDatabase.awaitCount(executed::get, before + 1);
  }
}
