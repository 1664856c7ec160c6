package dev.plimsoll.examples;

import dev.plimsoll.EngineStats;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobRequest;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.QueueFullException;
import dev.plimsoll.RetentionPolicy;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Quick start's main job until {@code plimsoll serve} exists: pushes 100,000 jobs (some slow,
 * some failing, some delayed, faster than the workers drain them) into a queue bounded at 5,000
 * through an in-memory engine and prints its stats every half second, then its health.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    try (JobEngine engine =
        JobEngine.builder()
            .concurrency(8)
            .queue("work", QueueConfig.reject(5_000))
            .retention(new RetentionPolicy(Duration.ofMinutes(5), 2_000))
            .handler("noop", ctx -> null)
            .handler(
                "flaky",
                ctx -> {
                  if (ThreadLocalRandom.current().nextInt(10) == 0) {
                    throw new IllegalStateException("simulated failure");
                  }
                  return null;
                })
            .handler(
                "slow",
                ctx -> {
                  Thread.sleep(2);
                  return null;
                })
            .start()) {
      String[] types = {"noop", "noop", "noop", "flaky"};
      long rejected = 0;
      long nextReport = System.nanoTime();
      System.out.println(
          "   accepted  rejected  succeeded   retried  dead  pending  running  peakQueue  wait-p99ms  run-p99ms");
      for (int i = 0; i < total; i++) {
        String type = i % 50 == 0 ? "slow" : types[i % types.length];
        JobRequest.Builder job = JobRequest.builder(type).queue("work");
        if (i % 1_000 == 0) {
          job.delay(Duration.ofMillis(500));
        }
        try {
          engine.submit(job.build());
        } catch (QueueFullException e) {
          rejected++; // the queue is at its bound: back off and let the workers catch up
          Thread.sleep(1);
        }
        if (System.nanoTime() >= nextReport) {
          print(engine.stats(), rejected);
          nextReport = System.nanoTime() + 500_000_000L;
        }
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (engine.stats().queuedTasks() + engine.stats().running() > 0
          && System.nanoTime() < deadline) {
        Thread.sleep(500);
        print(engine.stats(), rejected);
      }
      print(engine.stats(), rejected);
      System.out.println("health: " + engine.health());
    }
  }

  private static void print(EngineStats s, long rejected) {
    System.out.printf(
        Locale.ROOT,
        "%11d %9d %10d %9d %5d %8d %8d %10d %11.1f %10.1f%n",
        s.totalQueued(),
        rejected,
        s.totalSucceeded(),
        s.totalRetried(),
        s.totalDead(),
        s.queuedTasks(),
        s.running(),
        s.peakQueueSize(),
        s.waitTime().p99Millis(),
        s.runTime().p99Millis());
  }
}
