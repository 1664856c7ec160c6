package dev.plimsoll.bench;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobRequest;
import dev.plimsoll.QueueConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Submit→start latency at half load, Plimsoll beside a bare {@link ThreadPoolExecutor} offered the
 * same rate in the same run. First measures Plimsoll's saturated single-submit throughput, then
 * paces one producer at half of it (busy-waiting to each send time) and records, for every job, the
 * time from just before {@code submit} to the first line of the handler. Prints a table.
 *
 * <p>Arguments: rounds (3) and workers (1). With 2 cores, one worker leaves the other core to the
 * pacing producer, which busy-waits; with more, three busy threads share two cores and the figures
 * measure the OS scheduler (the anchor's p99 goes to milliseconds too).
 *
 * <pre>java -cp plimsoll-bench/target/benchmarks.jar dev.plimsoll.bench.SubmitToStartLatency 3 1
 * </pre>
 */
public final class SubmitToStartLatency {
  private static int workers = 1;
  private static final int SATURATION_JOBS = 1_000_000;
  private static final int SAMPLES = 500_000;

  private SubmitToStartLatency() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    workers = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    System.out.println(
        "workers: " + workers + " (the pacing producer busy-waits on a core of its own)");
    System.out.println(
        "round | saturated jobs/s | offered jobs/s | system | p50 us | p90 us | p99 us | p99.9 us | max us");
    for (int r = 1; r <= rounds; r++) {
      double saturated = saturatedRate();
      double offered = saturated / 2;
      print(r, saturated, offered, "plimsoll", plimsoll(offered));
      print(r, saturated, offered, "ThreadPoolExecutor", executor(offered));
    }
  }

  private static void print(int round, double sat, double offered, String name, long[] lat) {
    Arrays.sort(lat);
    System.out.printf(
        Locale.ROOT,
        "%d | %.0f | %.0f | %s | %.1f | %.1f | %.1f | %.1f | %.1f%n",
        round,
        sat,
        offered,
        name,
        at(lat, 0.50),
        at(lat, 0.90),
        at(lat, 0.99),
        at(lat, 0.999),
        lat[lat.length - 1] / 1000.0);
  }

  private static double at(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1000.0;
  }

  private static double saturatedRate() {
    AtomicLong done = new AtomicLong();
    try (JobEngine engine =
        JobEngine.builder()
            .concurrency(workers)
            .defaultQueue(QueueConfig.block(10_000, Duration.ofMinutes(1)))
            .handler(
                "noop",
                ctx -> {
                  done.incrementAndGet();
                  return null;
                })
            .start()) {
      JobRequest noop = JobRequest.of("noop", null);
      long start = System.nanoTime();
      for (int i = 0; i < SATURATION_JOBS; i++) {
        engine.submit(noop);
      }
      while (done.get() < SATURATION_JOBS) {
        Thread.onSpinWait();
      }
      return SATURATION_JOBS / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static long[] plimsoll(double rate) {
    long[] latencies = new long[SAMPLES];
    AtomicInteger next = new AtomicInteger();
    try (JobEngine engine =
        JobEngine.builder()
            .concurrency(workers)
            .defaultQueue(QueueConfig.block(10_000, Duration.ofMinutes(1)))
            .handler(
                "lat",
                ctx -> {
                  long started = System.nanoTime();
                  latencies[next.getAndIncrement()] =
                      started - ByteBuffer.wrap(ctx.payload()).getLong();
                  return null;
                })
            .start()) {
      pace(rate, () -> engine.submit(JobRequest.of("lat", stamp())));
      while (next.get() < SAMPLES) {
        Thread.onSpinWait();
      }
    }
    return latencies;
  }

  private static long[] executor(double rate) throws InterruptedException {
    long[] latencies = new long[SAMPLES];
    AtomicInteger next = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            workers, workers, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000));
    pace(
        rate,
        () -> {
          long submitted = System.nanoTime();
          pool.execute(() -> latencies[next.getAndIncrement()] = System.nanoTime() - submitted);
        });
    while (next.get() < SAMPLES) {
      Thread.onSpinWait();
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.MINUTES);
    return latencies;
  }

  private static byte[] stamp() {
    return ByteBuffer.allocate(8).putLong(System.nanoTime()).array();
  }

  private static void pace(double rate, Runnable send) {
    double intervalNanos = 1e9 / rate;
    long start = System.nanoTime();
    for (int i = 0; i < SAMPLES; i++) {
      long due = start + (long) (i * intervalNanos);
      while (System.nanoTime() < due) {
        Thread.onSpinWait();
      }
      send.run();
    }
  }
}
