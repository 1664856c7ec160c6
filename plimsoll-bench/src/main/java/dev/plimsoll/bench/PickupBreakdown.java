package dev.plimsoll.bench;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobRequest;
import dev.plimsoll.memory.InMemoryJobStore;
import dev.plimsoll.spi.JobStore;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where idle pickup time goes: for each store, single submissions on an idle engine (as {@link
 * JdbcThroughput#pickup}), split into the time {@code submit} takes (for a durable store, the
 * insert and its synchronous commit) and the time from {@code submit} returning until the handler
 * starts (wake-up and claim). The in-memory store is the anchor: the engine's own wake-up path.
 *
 * <pre>
 * java -cp plimsoll-bench/target/benchmarks.jar dev.plimsoll.bench.PickupBreakdown [jobs]
 * </pre>
 */
public final class PickupBreakdown {
  private PickupBreakdown() {}

  public static void main(String[] args) {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    System.out.printf(
        Locale.ROOT, "%,d pickups per store after 100 warm-up ones; milliseconds%n%n", jobs);
    System.out.println("| store | part | p50 | p90 | p99 | max |");
    System.out.println("|---|---|---:|---:|---:|---:|");
    for (String kind : new String[] {"memory", "sqlite", "postgres"}) {
      JobStore store =
          kind.equals("memory")
              ? new InMemoryJobStore()
              : BenchDatabase.plimsollStore(kind, "plimsoll_pickup");
      measure(kind, store, jobs);
    }
  }

  private static void measure(String kind, JobStore store, int jobs) {
    AtomicLong startedAt = new AtomicLong();
    AtomicLong started = new AtomicLong();
    AtomicLong succeeded = new AtomicLong();
    JobEngine engine =
        BenchDatabase.runner(
            store,
            4,
            1_000,
            () -> {
              startedAt.set(System.nanoTime());
              started.incrementAndGet();
            },
            succeeded);
    long[] submit = new long[jobs];
    long[] pickup = new long[jobs];
    long[] afterSubmit = new long[jobs];
    JobRequest job = JobRequest.of("noop", null);
    try {
      for (int i = -100; i < jobs; i++) {
        BenchDatabase.awaitCount(succeeded::get, started.get());
        BenchDatabase.idleFor(1);
        long before = started.get();
        long t0 = System.nanoTime();
        engine.submit(job);
        long t1 = System.nanoTime();
        BenchDatabase.awaitCount(started::get, before + 1);
        long t2 = startedAt.get();
        if (i >= 0) {
          submit[i] = t1 - t0;
          pickup[i] = t2 - t0;
          afterSubmit[i] = Math.max(0, t2 - t1); // the handler may start before submit returns
        }
      }
    } finally {
      engine.close();
    }
    row(kind, "submit returns", submit);
    row(kind, "handler starts after submit returned", afterSubmit);
    row(kind, "**pickup** (submit to handler start)", pickup);
  }

  private static void row(String kind, String part, long[] nanos) {
    long[] v = nanos.clone();
    Arrays.sort(v);
    int n = v.length;
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %.2f | %.2f | %.2f | %.2f |%n",
        kind,
        part,
        v[n / 2] / 1e6,
        v[n * 9 / 10] / 1e6,
        v[n * 99 / 100] / 1e6,
        v[n - 1] / 1e6);
  }
}
