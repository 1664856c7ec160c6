package dev.plimsoll.watch;

import java.util.Locale;

/** What the watchdog and leakwatch sample. Memory measures are in bytes, the others counts. */
public enum Measure {
  HEAP_AFTER_GC("heap after GC", "heapAfterGcBytes", true),
  RESIDENT_MEMORY("resident memory", "residentBytes", true),
  THREADS("threads", "threads", false),
  OPEN_FILES("open file descriptors", "openFiles", false),
  CHILD_PROCESSES("child processes", "childProcesses", false),
  ENGINE_PENDING("engine pending jobs", "enginePending", false),
  ENGINE_RUNNING("engine running attempts", "engineRunning", false),
  ENGINE_OPEN_SCOPES("engine open scopes", "engineOpenScopes", false),
  ENGINE_SCOPE_TASKS("engine scope tasks", "engineScopeTasks", false),
  ENGINE_BUFFERED("engine buffered items", "engineBuffered", false),
  ENGINE_REMOTE_LEASES("engine remote leases", "engineRemoteLeases", false);

  private final String label;
  private final String key;
  private final boolean bytes;

  Measure(String label, String key, boolean bytes) {
    this.label = label;
    this.key = key;
    this.bytes = bytes;
  }

  /** Human name, e.g. {@code "open file descriptors"}. */
  public String label() {
    return label;
  }

  /** The camelCase name used in JSON reports and metric tags. */
  public String key() {
    return key;
  }

  /** True for memory measured in bytes (reported in MB and MB/h). */
  public boolean isBytes() {
    return bytes;
  }

  /** Formats a value of this measure for a log line or report (MB with one decimal for bytes). */
  public String format(double value) {
    return bytes
        ? String.format(Locale.ROOT, "%.1f MB", value / Mb.BYTES)
        : String.format(Locale.ROOT, "%.0f", value);
  }

  /** Formats a slope of this measure per hour. */
  public String formatRate(double perHour) {
    return bytes
        ? String.format(Locale.ROOT, "%+.1f MB/h", perHour / Mb.BYTES)
        : String.format(Locale.ROOT, "%+.1f/h", perHour);
  }

  /** One megabyte (2^20 bytes), the unit of every MB figure. */
  static final class Mb {
    static final double BYTES = 1024.0 * 1024.0;

    private Mb() {}
  }
}
