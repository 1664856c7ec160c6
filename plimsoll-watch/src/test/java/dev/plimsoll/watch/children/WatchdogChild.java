package dev.plimsoll.watch.children;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobRequest;
import dev.plimsoll.MemoryPressureException;
import dev.plimsoll.watch.MemoryWatchdog;
import dev.plimsoll.watch.WatchdogConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM (run with a small -Xmx) for the watchdog's real test: fills its heap until the engine
 * sheds, then on stdin commands frees part of it ({@code partial}: to just under 80 %) and all of
 * it ({@code free}), reporting on stdout what the engine and the watchdog say.
 */
public final class WatchdogChild {
  private WatchdogChild() {}

  public static void main(String[] args) throws Exception {
    MemoryWatchdog watchdog =
        MemoryWatchdog.start(
            WatchdogConfig.builder()
                .interval(Duration.ofMillis(100))
                .trendWindow(Duration.ofSeconds(30))
                .build());
    JobEngine engine = JobEngine.builder().pressure(watchdog).handler("t", ctx -> null).start();
    watchdog.watch(engine);
    List<byte[]> held = new ArrayList<>();
    String shed = null;
    // 32 KB chunks (less their array header) pack G1's 1 MB regions with no waste.
    while (shed == null && held.size() < 32 * 64) {
      held.add(new byte[32 * 1024 - 16]);
      if (held.size() > 32 * 30 && held.size() % 16 == 0) {
        // Past 30 MB measure live data with full GCs, so the level is not inflated by garbage a
        // young GC left in the old generation (the partial step below relies on it).
        System.gc();
        awaitGcSeen(watchdog);
      }
      shed = trySubmit(engine);
    }
    say(shed == null ? "NOSHED" : "SHED " + fraction(watchdog) + " " + shed);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String command;
    while ((command = in.readLine()) != null) {
      if (command.equals("partial")) {
        while (!held.isEmpty() && !(watchdog.heapAfterGcFraction() < 0.80)) {
          for (int i = 0; i < 16 && !held.isEmpty(); i++) {
            held.remove(held.size() - 1);
          }
          System.gc();
          awaitGcSeen(watchdog);
        }
        String still = trySubmit(engine);
        say(
            "PARTIAL "
                + fraction(watchdog)
                + " "
                + watchdog.level()
                + " "
                + (still == null ? "ADMITTED" : still));
      } else if (command.equals("free")) {
        held.clear();
        String result;
        do {
          System.gc();
          awaitGcSeen(watchdog);
          result = trySubmit(engine);
        } while (result != null);
        say("FREED " + fraction(watchdog) + " " + watchdog.level() + " ADMITTED");
      } else if (command.equals("close")) {
        engine.close();
        watchdog.close();
        watchdog.close();
        long alive =
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("plimsoll-watchdog"))
                .count();
        say("CLOSED " + alive);
        return;
      }
    }
  }

  /** Null when the submission was admitted, else the error code and message. */
  private static String trySubmit(JobEngine engine) {
    try {
      engine.submit(JobRequest.of("t", null));
      return null;
    } catch (MemoryPressureException e) {
      return e.code() + " " + e.getMessage();
    }
  }

  /** GC notifications arrive on another thread shortly after the collection. */
  private static void awaitGcSeen(MemoryWatchdog watchdog) {
    LockSupport.parkNanos(5_000_000);
  }

  private static String fraction(MemoryWatchdog w) {
    return String.format(Locale.ROOT, "%.3f", w.heapAfterGcFraction());
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
