package dev.plimsoll.bench;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobRequest;
import dev.plimsoll.QueueConfig;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap held per pending in-memory job: submits N jobs to an engine that is not started (so all stay
 * QUEUED) and divides the growth of heap-after-GC by N. Beside it, the anchor: N capturing lambdas
 * in an {@link ArrayDeque}, the least any executor must hold per task. Payload arrays are reported
 * separately (the goal is ≤ 256 bytes + payload).
 *
 * <pre>java -Xmx4g -cp plimsoll-bench/target/benchmarks.jar dev.plimsoll.bench.PendingJobMemory
 * </pre>
 */
public final class PendingJobMemory {
  private static final int N = 1_000_000;

  private PendingJobMemory() {}

  public static void main(String[] args) {
    System.out.println(
        "payload bytes | plimsoll bytes/job | of which payload array | plimsoll overhead/job | anchor ArrayDeque<Runnable> bytes/job");
    for (int payload : new int[] {0, 64, 1024}) {
      double plimsoll = plimsoll(payload);
      double array = arrayBytes(payload);
      double anchor = anchor(payload);
      System.out.printf(
          Locale.ROOT,
          "%d | %.1f | %.1f | %.1f | %.1f%n",
          payload,
          plimsoll,
          array,
          plimsoll - array,
          anchor);
    }
  }

  /** Bytes of a byte[payload] on this JVM (16-byte header, 8-byte alignment, compressed oops). */
  private static double arrayBytes(int payload) {
    return Math.ceil((16 + payload) / 8.0) * 8;
  }

  private static double plimsoll(int payload) {
    long before = usedAfterGc();
    JobEngine engine =
        JobEngine.builder()
            .defaultQueue(QueueConfig.reject(N))
            .handler("noop", ctx -> null)
            .build();
    long afterEmpty = usedAfterGc();
    List<JobRequest> batch = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      batch.add(JobRequest.of("noop", new byte[payload]));
      if (batch.size() == 1_000) {
        engine.submitAll(batch);
        batch = new ArrayList<>();
      }
    }
    long after = usedAfterGc();
    double perJob = (after - afterEmpty) / (double) N;
    engine.close();
    if (before < 0) {
      throw new IllegalStateException();
    }
    return perJob;
  }

  private static double anchor(int payload) {
    long before = usedAfterGc();
    ArrayDeque<Runnable> tasks = new ArrayDeque<>(16);
    for (int i = 0; i < N; i++) {
      byte[] p = new byte[payload];
      tasks.add(() -> consume(p));
    }
    long after = usedAfterGc();
    double perTask = (after - before) / (double) N;
    if (tasks.size() != N) {
      throw new IllegalStateException();
    }
    return perTask;
  }

  private static void consume(byte[] p) {
    if (p.length < 0) {
      throw new IllegalStateException();
    }
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
