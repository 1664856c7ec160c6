package dev.plimsoll.bench;

import dev.plimsoll.JobId;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.redis.RedisJobStore;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.NewJob;
import dev.plimsoll.spi.StoreContext;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Redis CPU per job for each store operation, read from {@code INFO cpu} (used_cpu_user +
 * used_cpu_sys of the server) before and after driving {@value #JOBS} jobs straight through the
 * store API: inserts in batches of 100, claims and completions in batches of 64 (the engine's
 * largest). Runs twice and prints both rounds; the second is warm. Not JMH: it measures the
 * server's CPU, not the caller's time.
 *
 * <pre>java -cp plimsoll-bench/target/benchmarks.jar dev.plimsoll.bench.RedisCpuPerJob</pre>
 */
public final class RedisCpuPerJob {
  static final int JOBS = 50_000;
  static final String PREFIX = "plimsoll:bench:cpu:";

  private RedisCpuPerJob() {}

  public static void main(String[] args) {
    RedisThroughput.deleteKeys(PREFIX);
    RedisClient client = RedisClient.create(RedisThroughput.URI);
    try (StatefulRedisConnection<String, String> info = client.connect();
        RedisJobStore store =
            RedisJobStore.builder().uri(RedisThroughput.URI).prefix(PREFIX).build()) {
      store.open(
          new StoreContext(
              Clock.systemUTC(),
              q -> QueueConfig.reject(QueueConfig.DEFAULT_DURABLE_CAPACITY),
              RetentionPolicy.FINISHED_DEFAULT,
              RetentionPolicy.DEAD_DEFAULT,
              () -> {}));
      for (int round = 1; round <= 2; round++) {
        double c0 = cpuSeconds(info);
        for (int i = 0; i < JOBS; i += 100) {
          store.insert(batch(100));
        }
        double c1 = cpuSeconds(info);
        List<ClaimedJob> claimed = new ArrayList<>(JOBS);
        while (claimed.size() < JOBS) {
          claimed.addAll(
              store.claim(
                  new ClaimRequest(
                      64, Set.of("noop"), "cpu", Instant.now(), Duration.ofSeconds(30))));
        }
        double c2 = cpuSeconds(info);
        for (int i = 0; i < JOBS; i += 64) {
          List<Completion> done = new ArrayList<>(64);
          for (ClaimedJob c : claimed.subList(i, Math.min(JOBS, i + 64))) {
            done.add(Completion.succeeded(c.job().id(), c.token(), null, Instant.now()));
          }
          store.complete(done);
        }
        double c3 = cpuSeconds(info);
        System.out.printf(
            "round %d: Redis CPU per job: insert %.1f us, claim %.1f us, complete %.1f us,"
                + " total %.1f us%n",
            round, perJob(c1 - c0), perJob(c2 - c1), perJob(c3 - c2), perJob(c3 - c0));
      }
    } finally {
      client.shutdown(0, 0, TimeUnit.SECONDS);
      RedisThroughput.deleteKeys(PREFIX);
    }
  }

  private static List<NewJob> batch(int n) {
    Instant now = Instant.now();
    List<NewJob> jobs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      jobs.add(
          new NewJob(id(now), "default", "noop", new byte[16], null, null, 0, 3, 30_000, now, now));
    }
    return jobs;
  }

  private static long sequence;

  /** A UUIDv7-shaped id: millisecond time, a sequence, random low bits. */
  private static JobId id(Instant now) {
    long msb = (now.toEpochMilli() << 16) | 0x7000L | (sequence++ & 0xFFFL);
    return new JobId(msb, 0x8000000000000000L | (ThreadLocalRandom.current().nextLong() >>> 2));
  }

  private static double perJob(double seconds) {
    return seconds * 1e6 / JOBS;
  }

  private static double cpuSeconds(StatefulRedisConnection<String, String> c) {
    double total = 0;
    for (String line : c.sync().info("cpu").split("\r?\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        total += Double.parseDouble(line.substring(line.indexOf(':') + 1));
      }
    }
    return total;
  }
}
