package dev.plimsoll.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plimsoll's durable stores beside db-scheduler, end to end, in alternating rounds: every round
 * runs each system once (the order rotating), so a burst of load from other processes on a shared
 * machine hits every system alike and the per-round ratios stay fair where a sequential JMH run
 * (all of one system, then all of the next) would not. Each system keeps its engine and schema for
 * the whole run; a round submits {@code jobs} no-op jobs in batches of {@value #BATCH} through the
 * system's batch API and waits until all have run.
 *
 * <p>Besides wall-clock jobs/s it reports CPU per job: this JVM's CPU time plus that of the
 * PostgreSQL backends serving the system (found by application name in {@code pg_stat_activity},
 * read from {@code /proc/<pid>/stat}; PostgreSQL's shared background processes are not counted),
 * which depends much less on what else runs on the machine.
 *
 * <pre>
 * java -cp plimsoll-bench/target/benchmarks.jar dev.plimsoll.bench.DurableStoreComparison [rounds] [jobs]
 * </pre>
 *
 * <p>{@code -Dsubjects=plimsoll-postgres,db-scheduler-20t} keeps only the systems whose names start
 * with one of the given prefixes (for profiling one system; comparisons need them all). For
 * experiments on Plimsoll's side: {@code -Dconcurrency} (workers, default 4), {@code -DclaimBatch}
 * (default 1,000) and {@code -DvacuumAfter} (the PostgreSQL store's, default its own).
 */
public final class DurableStoreComparison {
  static final int BATCH = 500;
  static final int WARMUP_ROUNDS = 2;

  /** One system under test. */
  interface Subject extends AutoCloseable {
    String name();

    /** Application name of its PostgreSQL connections, or null (SQLite). */
    String applicationName();

    /** Submits {@code jobs} no-op jobs and returns once all have run. */
    void run(int jobs);

    @Override
    void close();
  }

  /** Measured figures of one system in one round. */
  record Sample(
      double jobsPerSecond, double cpuMicrosPerJob, double jvmMicrosPerJob, double load) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    // Each system is started only if -Dsubjects keeps it (a dropped db-scheduler would still
    // create its schema and start its polling threads).
    Map<String, java.util.function.Supplier<Subject>> all = new LinkedHashMap<>();
    all.put("plimsoll-postgres", () -> new PlimsollSubject("plimsoll-postgres", "postgres"));
    all.put("plimsoll-sqlite", () -> new PlimsollSubject("plimsoll-sqlite", "sqlite"));
    all.put(
        "db-scheduler-10t-0.5-1.0",
        () -> new DbSchedulerSubject("db-scheduler-10t-0.5-1.0", 10, 0.5, 1.0));
    all.put(
        "db-scheduler-20t-4.0-20.0",
        () -> new DbSchedulerSubject("db-scheduler-20t-4.0-20.0", 20, 4.0, 20.0));
    String only = System.getProperty("subjects");
    List<String> wanted = only == null ? List.of("") : List.of(only.split(","));
    List<Subject> subjects = new ArrayList<>();
    all.forEach(
        (name, start) -> {
          if (wanted.stream().anyMatch(name::startsWith)) {
            subjects.add(start.get());
          }
        });
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    subjects.forEach(s -> samples.put(s.name(), new ArrayList<>()));
    System.out.printf(
        Locale.ROOT,
        "start %s, load %s, %d warm-up + %d rounds of %,d jobs%n",
        Instant.now(),
        load(),
        WARMUP_ROUNDS,
        rounds,
        jobs);
    try (Connection monitor = DriverManager.getConnection(BenchDatabase.PG_URL, "postgres", "")) {
      for (int round = 0; round < WARMUP_ROUNDS + rounds; round++) {
        StringBuilder line =
            new StringBuilder(
                round < WARMUP_ROUNDS ? "warm-up" : "round " + (round - WARMUP_ROUNDS + 1));
        for (int k = 0; k < subjects.size(); k++) {
          Subject s = subjects.get((k + round) % subjects.size());
          Sample sample = measure(s, jobs, monitor);
          if (round >= WARMUP_ROUNDS) {
            samples.get(s.name()).add(sample);
          }
          line.append(
              String.format(
                  Locale.ROOT,
                  "  %s %,.0f/s %.0f us (jvm %.0f)",
                  s.name(),
                  sample.jobsPerSecond(),
                  sample.cpuMicrosPerJob(),
                  sample.jvmMicrosPerJob()));
        }
        System.out.println(line);
      }
    } finally {
      for (Subject s : subjects) {
        s.close();
      }
    }
    System.out.printf(Locale.ROOT, "end %s, load %s%n%n", Instant.now(), load());
    print(samples);
  }

  private static Sample measure(Subject s, int jobs, Connection monitor) throws SQLException {
    double load = loadOne();
    Map<Integer, Long> pg0 = backendTicks(monitor, s.applicationName());
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    s.run(jobs);
    long t1 = System.nanoTime();
    long cpu1 = processCpuNanos();
    Map<Integer, Long> pg1 = backendTicks(monitor, s.applicationName());
    long pgTicks = 0;
    for (Map.Entry<Integer, Long> e : pg1.entrySet()) {
      pgTicks += e.getValue() - pg0.getOrDefault(e.getKey(), 0L);
    }
    double cpuNanos = (cpu1 - cpu0) + pgTicks * 10_000_000.0; // USER_HZ = 100
    return new Sample(
        jobs / ((t1 - t0) / 1e9), cpuNanos / 1_000.0 / jobs, (cpu1 - cpu0) / 1_000.0 / jobs, load);
  }

  private static void print(Map<String, List<Sample>> samples) {
    System.out.println(
        "| system | jobs/s per round | median jobs/s | median CPU µs/job | of which this JVM |");
    System.out.println("|---|---|---:|---:|---:|");
    Map<String, Double> medians = new HashMap<>();
    for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
      List<Double> rates = e.getValue().stream().map(Sample::jobsPerSecond).toList();
      List<Double> cpu = e.getValue().stream().map(Sample::cpuMicrosPerJob).toList();
      List<Double> jvm = e.getValue().stream().map(Sample::jvmMicrosPerJob).toList();
      medians.put(e.getKey(), median(rates));
      StringBuilder each = new StringBuilder();
      for (double r : rates) {
        each.append(each.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%,.0f", r));
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %,.0f | %.0f | %.0f |%n",
          e.getKey(),
          each,
          median(rates),
          median(cpu),
          median(jvm));
    }
    String best =
        samples.keySet().stream()
            .filter(k -> k.startsWith("db-scheduler"))
            .max((a, b) -> Double.compare(medians.get(a), medians.get(b)))
            .orElse(null);
    if (best == null || !samples.containsKey("plimsoll-postgres")) {
      return; // a filtered run (-Dsubjects) has no ratio to print
    }
    List<Double> perRound = new ArrayList<>();
    List<Sample> p = samples.get("plimsoll-postgres");
    List<Sample> d = samples.get(best);
    for (int i = 0; i < p.size(); i++) {
      perRound.add(p.get(i).jobsPerSecond() / d.get(i).jobsPerSecond());
    }
    System.out.printf(
        Locale.ROOT,
        "%nPlimsoll PostgreSQL / %s (the faster db-scheduler): %.2f x (ratio of medians), %.2f x"
            + " (median of per-round ratios %s)%n",
        best,
        medians.get("plimsoll-postgres") / medians.get(best),
        median(perRound),
        perRound.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList());
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** utime + stime (clock ticks) of each backend whose application name is {@code app}. */
  private static Map<Integer, Long> backendTicks(Connection monitor, String app)
      throws SQLException {
    Map<Integer, Long> ticks = new HashMap<>();
    if (app == null) {
      return ticks;
    }
    try (PreparedStatement ps =
        monitor.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, app);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int pid = rs.getInt(1);
          try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
          } catch (IOException | RuntimeException e) {
            // the backend ended, or /proc is not there: its CPU is not counted
          }
        }
      }
    }
    return ticks;
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static double loadOne() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * Plimsoll on a durable store, set up as {@link JdbcThroughput} (4 workers, batches of 1,000).
   */
  static final class PlimsollSubject implements Subject {
    private final String name;
    private final String kind;
    private final JobEngine engine;
    private final AtomicLong succeeded = new AtomicLong();
    private final List<JobRequest> batch = new ArrayList<>();

    PlimsollSubject(String name, String kind) {
      this.name = name;
      this.kind = kind;
      engine =
          BenchDatabase.runner(
              BenchDatabase.plimsollStore(kind, "plimsoll_compare"),
              Integer.getInteger("concurrency", 4),
              Integer.getInteger("claimBatch", 1_000),
              () -> {},
              succeeded);
      for (int i = 0; i < BATCH; i++) {
        batch.add(JobRequest.of("noop", null));
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String applicationName() {
      return kind.equals("postgres") ? "plimsoll" : null;
    }

    @Override
    public void run(int jobs) {
      long target = succeeded.get() + jobs;
      for (int sent = 0; sent < jobs; sent += BATCH) {
        engine.submitAll(batch);
      }
      BenchDatabase.awaitCount(succeeded::get, target);
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  /** db-scheduler with lock-and-fetch, as {@link DbSchedulerThroughput}, in a schema of its own. */
  static final class DbSchedulerSubject implements Subject {
    private final String name;
    private final String schema;
    private final HikariDataSource pool;
    private final Scheduler scheduler;
    private final OneTimeTask<Void> task;
    private final AtomicLong executed = new AtomicLong();
    private final AtomicLong scheduled = new AtomicLong();

    DbSchedulerSubject(String name, int threads, double lower, double upper) {
      this.name = name;
      this.schema = name.replaceAll("[^a-z0-9]", "_");
      DbSchedulerThroughput.createSchema(schema);
      pool = BenchDatabase.pool(schema, threads + 2);
      task = Tasks.oneTime("noop").execute((instance, context) -> executed.incrementAndGet());
      scheduler =
          Scheduler.create(pool, task)
              .threads(threads)
              .pollingInterval(Duration.ofMillis(100))
              .pollUsingLockAndFetch(lower, upper)
              .build();
      scheduler.start();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String applicationName() {
      return "bench-" + schema;
    }

    @Override
    public void run(int jobs) {
      long target = executed.get() + jobs;
      for (int sent = 0; sent < jobs; sent += BATCH) {
        List<TaskInstance<?>> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
          batch.add(task.instance("t" + scheduled.incrementAndGet()));
        }
        scheduler.scheduleBatch(batch, Instant.now());
      }
      BenchDatabase.awaitCount(executed::get, target);
    }

    @Override
    public void close() {
      scheduler.stop();
      pool.close();
    }
  }
}
