package dev.plimsoll.process;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How a command ended: exit code, captured output (each stream at most its cap, with a flag and the
 * total byte count when more was produced), whether it was killed for its timeout, and how long it
 * ran.
 *
 * @param pid the process id the child had
 * @param exitCode the exit code; 128 + signal number when a signal ended it (143 after TERM, 137
 *     after KILL)
 * @param timedOut true when the timeout ran out and the process tree was killed
 */
public record CommandResult(
    long pid,
    int exitCode,
    boolean timedOut,
    byte[] stdout,
    long stdoutTotalBytes,
    byte[] stderr,
    long stderrTotalBytes,
    Duration duration) {

  /** True when the process exited by itself with code 0. */
  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }

  /** True when stdout produced more than its cap and only the first cap bytes were kept. */
  public boolean stdoutTruncated() {
    return stdoutTotalBytes > stdout.length;
  }

  public boolean stderrTruncated() {
    return stderrTotalBytes > stderr.length;
  }

  /** The kept stdout decoded as UTF-8. */
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "CommandResult{pid="
        + pid
        + ", exitCode="
        + exitCode
        + ", timedOut="
        + timedOut
        + ", stdout="
        + stdout.length
        + "/"
        + stdoutTotalBytes
        + " bytes, stderr="
        + stderr.length
        + "/"
        + stderrTotalBytes
        + " bytes, duration="
        + duration
        + "}";
  }
}
