package dev.plimsoll.watch.children;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM for leakwatch tests: {@code LeakChild MODE RATE [marker]}. Modes: {@code alloc}
 * (retains RATE MB/s), {@code threads} (starts RATE parked threads/s), {@code fds} (opens RATE
 * files/s), {@code records} (retains RATE thousand {@link LeakyRecord}s/s), {@code flat} (allocates
 * and frees bursts of up to RATE MB, never holding more). Runs until killed. The workload paces
 * itself with parkNanos: it is the process under watch, not a test.
 */
public final class LeakChild {
  private static final List<Object> HELD = new ArrayList<>();

  /** The distinctive class the histogram test looks for. */
  public record LeakyRecord(long id, long a, long b) {}

  private LeakChild() {}

  public static void main(String[] args) throws IOException {
    String mode = args[0];
    double rate = Double.parseDouble(args[1]);
    long stepNanos = 50_000_000L;
    long n = 0;
    long start = System.nanoTime();
    java.util.Random random = new java.util.Random(42);
    while (true) {
      // Paced by the clock, so the rate holds whatever the machine's load.
      double owed = (System.nanoTime() - start) / 1e9 * rate - n;
      if (mode.equals("flat")) {
        HELD.clear();
        int burst = 1 + random.nextInt((int) Math.max(1, rate));
        for (int i = 0; i < burst; i++) {
          HELD.add(new byte[1024 * 1024]);
        }
        if (++n == 20) {
          System.out.println("ready"); // one second of bursts: started and warm
          System.out.flush();
        }
        LockSupport.parkNanos(stepNanos);
        continue;
      }
      while (owed >= 1) {
        switch (mode) {
          case "alloc":
            byte[] mb = new byte[1024 * 1024];
            for (int i = 0; i < mb.length; i += 4096) {
              mb[i] = 1;
            }
            HELD.add(mb);
            break;
          case "threads":
            Thread t = new Thread(() -> LockSupport.park(), "leaked-" + n);
            t.setDaemon(true);
            t.start();
            HELD.add(t);
            break;
          case "fds":
            HELD.add(new FileInputStream("/dev/null"));
            break;
          case "records":
            for (int i = 0; i < 1000; i++) {
              HELD.add(new LeakyRecord(n * 1000 + i, i, -i));
            }
            break;
          default:
            throw new IllegalArgumentException("mode " + mode);
        }
        n++;
        owed -= 1;
      }
      LockSupport.parkNanos(stepNanos);
    }
  }
}
