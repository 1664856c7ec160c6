package dev.plimsoll.process;

import dev.plimsoll.process.internal.ProcStatusMemoryProbe;

/**
 * Reads the resident memory of a process. The default reads {@code VmRSS} from {@code
 * /proc/<pid>/status} (Linux); elsewhere it answers "unknown" and memory limits are not enforced.
 */
@FunctionalInterface
public interface ResidentMemoryProbe {
  /** Resident bytes of {@code pid}, or -1 when unknown (process gone, no /proc). */
  long residentBytes(long pid);

  /** The Linux {@code /proc/<pid>/status} probe. */
  static ResidentMemoryProbe procfs() {
    return ProcStatusMemoryProbe.INSTANCE;
  }
}
