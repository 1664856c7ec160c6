package dev.plimsoll.watch.internal;

import dev.plimsoll.watch.ProcessSample;
import dev.plimsoll.watch.ProgressMode;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The live progress of a watch: one line rewritten with {@code \r} on a terminal, one line per N
 * samples otherwise, or nothing. Not thread-safe: the watch loop owns it.
 */
public final class ProgressPrinter {
  private static final double MB = 1024.0 * 1024.0;
  private final PrintStream out;
  private final ProgressMode mode;
  private final int every;
  private final long durationMs;
  private long count;
  private int lastWidth;

  public ProgressPrinter(PrintStream out, ProgressMode mode, int every, long durationMs) {
    this.out = out;
    this.mode =
        mode == ProgressMode.AUTO
            ? (onTerminal() ? ProgressMode.TERMINAL : ProgressMode.LINES)
            : mode;
    this.every = every;
    this.durationMs = durationMs;
  }

  /**
   * True when the JVM's output is a terminal. From JDK 22 {@code System.console()} is non-null even
   * when redirected, so ask {@code Console.isTerminal()} where it exists.
   */
  static boolean onTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 17-21: a console exists only on a terminal
    }
  }

  public void sample(long pid, ProcessSample first, ProcessSample s, long spikes) {
    count++;
    if (out == null || mode == ProgressMode.NONE) {
      return;
    }
    if (mode == ProgressMode.LINES && count % every != 0) {
      return;
    }
    String line =
        String.format(
            Locale.ROOT,
            "leakwatch pid %d %5.0f/%.0f s  samples %d  rss %.1f MB (%+.1f)  threads %d (%+d)  fds %d (%+d)  children %d  spikes %d",
            pid,
            s.atMillis() / 1000.0,
            durationMs / 1000.0,
            count,
            s.residentBytes() / MB,
            (s.residentBytes() - first.residentBytes()) / MB,
            s.threads(),
            s.threads() - first.threads(),
            s.openFiles(),
            s.openFiles() - first.openFiles(),
            s.childProcesses(),
            spikes);
    if (mode == ProgressMode.TERMINAL) {
      int pad = Math.max(0, lastWidth - line.length());
      out.print("\r" + line + " ".repeat(pad));
      lastWidth = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Ends the progress line (on a terminal) before the summary is printed. */
  public void finish() {
    if (out != null && mode == ProgressMode.TERMINAL && lastWidth > 0) {
      out.println();
    }
  }
}
