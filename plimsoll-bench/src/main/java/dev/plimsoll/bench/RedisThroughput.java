package dev.plimsoll.bench;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobRequest;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.redis.RedisJobStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 * End-to-end no-op jobs per second through an engine on the Redis store (submit, claim, run,
 * complete, retention), against the Redis at {@code -Dplimsoll.redisUri} (default the local one).
 *
 * <p>One producer thread submits {@value #JOBS} jobs per invocation with {@code submitAll} in
 * batches of {@code batch} (1 means one {@code submit} per job) and waits until every job has run.
 * Finished jobs are kept by the default retention (1 h, at most 10,000: older ones are evicted as
 * new ones finish, inside the completion script, so eviction is part of the measured cost). The
 * anchor is {@code redis-benchmark -t lpush,lpop} on the same Redis in the same run (see
 * docs/benchmarks.md for the script that runs both).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class RedisThroughput {
  static final int JOBS = 50_000;
  static final String URI = System.getProperty("plimsoll.redisUri", "redis://127.0.0.1:6379");
  static final String PREFIX = "plimsoll:bench:throughput:";

  @Param({"8"})
  public int workers;

  @Param({"100", "1"})
  public int batch;

  private JobEngine engine;
  private final AtomicLong done = new AtomicLong();
  private final List<JobRequest> requests = new ArrayList<>();
  private final JobRequest noop = JobRequest.of("noop", new byte[16]);

  @Setup(Level.Trial)
  public void setUp() {
    deleteKeys(PREFIX);
    engine =
        JobEngine.builder()
            .store(RedisJobStore.builder().uri(URI).prefix(PREFIX).build())
            .concurrency(workers)
            .defaultQueue(QueueConfig.reject(QueueConfig.DEFAULT_DURABLE_CAPACITY))
            .retention(RetentionPolicy.FINISHED_DEFAULT)
            .handler(
                "noop",
                ctx -> {
                  done.incrementAndGet();
                  return null;
                })
            .start();
    for (int i = 0; i < batch; i++) {
      requests.add(noop);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
    deleteKeys(PREFIX);
  }

  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void endToEnd() {
    long target = done.get() + JOBS;
    for (int i = 0; i < JOBS; i += batch) {
      if (batch == 1) {
        engine.submit(noop);
      } else {
        engine.submitAll(requests);
      }
    }
    while (done.get() < target) {
      // Park rather than spin: on two cores a spinning producer would take a core from Redis.
      LockSupport.parkNanos(100_000);
    }
  }

  /**
   * Deletes the benchmark's keys (SCAN + UNLINK) so runs start from an empty store. Keys are bytes
   * (job ids are raw 16-byte UUIDs), so they are never decoded as text.
   */
  static void deleteKeys(String prefix) {
    RedisClient client = RedisClient.create(URI);
    try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<byte[]> page =
            c.sync().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1_000));
        if (!page.getKeys().isEmpty()) {
          c.sync().unlink(page.getKeys().toArray(new byte[0][]));
        }
        cursor = page;
      } while (!cursor.isFinished());
    } finally {
      client.shutdown(0, 0, TimeUnit.SECONDS);
    }
  }
}
