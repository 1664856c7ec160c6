package dev.plimsoll.process.internal;

import dev.plimsoll.process.ResidentMemoryProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code VmRSS} of {@code /proc/<pid>/status}, in bytes. */
public final class ProcStatusMemoryProbe implements ResidentMemoryProbe {
  public static final ProcStatusMemoryProbe INSTANCE = new ProcStatusMemoryProbe();

  private ProcStatusMemoryProbe() {}

  @Override
  public long residentBytes(long pid) {
    String status;
    try {
      status =
          new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(pid), "status")),
              StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return parseVmRss(status);
  }

  static long parseVmRss(String status) {
    int at = status.indexOf("VmRSS:");
    if (at < 0) {
      return -1; // kernel threads and zombies have none
    }
    int end = status.indexOf('\n', at);
    String line = status.substring(at + 6, end < 0 ? status.length() : end).trim();
    String[] parts = line.split("\\s+");
    try {
      long value = Long.parseLong(parts[0]);
      return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
