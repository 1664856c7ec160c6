package dev.plimsoll.watch;

import dev.plimsoll.PlimsollException;

/**
 * A leak watch could not start: no such pid, no (or several) processes matching, a command that
 * cannot be started, a report file that cannot be written. The CLI prints the message and exits 2.
 */
public final class LeakWatchException extends PlimsollException {
  private static final long serialVersionUID = 1L;

  public LeakWatchException(String message) {
    super(message);
  }

  public LeakWatchException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Errors exit with 2, like an inconclusive watch. */
  public int exitCode() {
    return 2;
  }

  @Override
  public String code() {
    return "leakwatch_error";
  }
}
