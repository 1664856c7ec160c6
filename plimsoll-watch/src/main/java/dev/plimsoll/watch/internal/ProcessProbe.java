package dev.plimsoll.watch.internal;

import dev.plimsoll.watch.ProcessSample;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Reads a process's resident memory, threads, open files and descendants through OSHI; on Linux
 * open files are counted in {@code /proc/PID/fd} directly (OSHI reports -1 for processes of other
 * users and on some kernels). Thread-safe: OSHI's operating system object is.
 */
public final class ProcessProbe {
  private static final Path PROC = Path.of("/proc");
  private final OperatingSystem os = new SystemInfo().getOperatingSystem();

  /** Samples {@code pid}, or returns null when it is gone. */
  public ProcessSample sample(long pid, long atMillis) {
    OSProcess p = os.getProcess((int) pid);
    if (p == null || p.getState() == OSProcess.State.INVALID) {
      return null;
    }
    long fds = countFds(pid);
    if (fds < 0) {
      fds = p.getOpenFiles();
    }
    long children =
        ProcessHandle.of(pid)
            .map(h -> h.descendants().filter(ProcessHandle::isAlive).count())
            .orElse(0L);
    return new ProcessSample(atMillis, p.getResidentSetSize(), p.getThreadCount(), fds, children);
  }

  /** Processes (other than this one) whose command line contains {@code text}. */
  public List<OSProcess> matching(String text) {
    long self = ProcessHandle.current().pid();
    return os.getProcesses(
        p -> p.getProcessID() != self && p.getCommandLine().contains(text), null, 0);
  }

  static long countFds(long pid) {
    Path dir = PROC.resolve(Long.toString(pid)).resolve("fd");
    if (!Files.isDirectory(dir)) {
      return -1;
    }
    long n = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path ignored : entries) {
        n++;
      }
    } catch (IOException | SecurityException e) {
      return -1;
    }
    return n;
  }
}
