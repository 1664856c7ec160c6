package dev.plimsoll.watch.internal;

import dev.plimsoll.watch.ClassGrowth;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes a JVM's class histogram with {@code jcmd PID GC.class_histogram} (the jcmd of the running
 * JDK) and diffs two of them. Note that a histogram forces a full GC in the target.
 */
public final class ClassHistograms {
  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
  private static final long TIMEOUT_SECONDS = 60;

  /** Output lines read at most (a histogram has one per loaded class). */
  private static final int MAX_LINES = 1_000_000;

  private ClassHistograms() {}

  /** Class name → {instances, bytes}. Throws IOException with jcmd's message on failure. */
  public static Map<String, long[]> take(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      throw new IOException("no jcmd at " + jcmd + " (run plimsoll on a JDK, not a JRE)");
    }
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    Map<String, long[]> rows = new HashMap<>();
    List<String> other = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      int lines = 0;
      while ((line = r.readLine()) != null && lines++ < MAX_LINES) {
        Matcher m = ROW.matcher(line);
        if (m.matches()) {
          rows.merge(
              m.group(3),
              new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
              (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        } else if (other.size() < 5 && !line.isBlank()) {
          other.add(line.trim());
        }
      }
    } finally {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (p.exitValue() != 0 || rows.isEmpty()) {
      throw new IOException(
          "jcmd "
              + pid
              + " GC.class_histogram failed (exit "
              + p.exitValue()
              + "): "
              + String.join(" | ", other));
    }
    return rows;
  }

  /** The {@code top} classes by bytes grown (then instances grown), growing ones only. */
  public static List<ClassGrowth> diff(
      Map<String, long[]> before, Map<String, long[]> after, int top) {
    Set<String> names = new HashSet<>(after.keySet());
    List<ClassGrowth> grown = new ArrayList<>();
    for (String name : names) {
      long[] a = before.getOrDefault(name, new long[2]);
      long[] b = after.get(name);
      if (b[1] > a[1] || b[0] > a[0]) {
        grown.add(new ClassGrowth(name, a[0], b[0], a[1], b[1]));
      }
    }
    grown.sort(
        Comparator.comparingLong(ClassGrowth::bytesGrown)
            .thenComparingLong(ClassGrowth::instancesGrown)
            .reversed()
            .thenComparing(ClassGrowth::className));
    return List.copyOf(grown.subList(0, Math.min(top, grown.size())));
  }
}
