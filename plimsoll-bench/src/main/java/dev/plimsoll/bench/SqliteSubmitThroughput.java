package dev.plimsoll.bench;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobRequest;
import dev.plimsoll.QueueConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Single {@code submit} calls per second from {@code threads} threads straight into an engine on a
 * new SQLite file (no HTTP, no workers: jobs stay queued), with group commit off ({@code
 * submitBatch 1}, the path before it) and on (the default, 256), beside {@code submitAll} of 256
 * jobs per call from the same threads (the store's batched rate, the anchor), all in the same run.
 *
 * <pre>java -cp plimsoll-bench/target/benchmarks.jar dev.plimsoll.bench.SqliteSubmitThroughput
 * [seconds] [iterations] [threads]</pre>
 */
public final class SqliteSubmitThroughput {
  private static final JobRequest JOB =
      JobRequest.of("noop", "{\"n\":42}".getBytes(StandardCharsets.UTF_8));

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    System.out.printf(
        "SqliteSubmitThroughput: %d x %d s, %d threads, %d cores, Java %s%n",
        iterations,
        seconds,
        threads,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    List<String> rows = new ArrayList<>();
    rows.add(RateTable.row("submitAll x256 (anchor)", run(256, 256, seconds, iterations, threads)));
    rows.add(
        RateTable.row(
            "submit, submitBatch 1 (no combining)", run(1, 1, seconds, iterations, threads)));
    rows.add(
        RateTable.row(
            "submit, submitBatch 256 (default)", run(256, 1, seconds, iterations, threads)));
    System.out.println();
    System.out.println("| scenario | median jobs/s | iterations |");
    System.out.println("|---|---:|---|");
    rows.forEach(System.out::println);
  }

  private static long[] run(int submitBatch, int perCall, int seconds, int iterations, int threads)
      throws Exception {
    List<JobRequest> batch = Collections.nCopies(perCall, JOB);
    try (JobEngine engine =
        JobEngine.builder()
            .store(BenchDatabase.plimsollStore("sqlite", "plimsoll_bench"))
            .defaultQueue(QueueConfig.reject(100_000_000))
            .acceptTypesWithoutHandler(true)
            .submitBatch(submitBatch)
            .build()) {
      long[] rates = new long[iterations + 1];
      for (int i = 0; i <= iterations; i++) { // the first is warm-up
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ended = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
          Thread th =
              new Thread(
                  () -> {
                    while (!stop.get()) {
                      if (perCall == 1) {
                        engine.submit(JOB);
                      } else {
                        engine.submitAll(batch);
                      }
                      done.add(perCall);
                    }
                    ended.countDown();
                  });
          th.setDaemon(true);
          th.start();
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long count = done.sum();
        long nanos = System.nanoTime() - start;
        stop.set(true);
        ended.await();
        rates[i] = Math.round(count * 1e9 / nanos);
      }
      return Arrays.copyOfRange(rates, 1, rates.length);
    }
  }
}
