package dev.plimsoll.process;

/** The operating system refused to start a command (program not found, not executable, bad cwd). */
public final class ProcessStartException extends dev.plimsoll.PlimsollException {
  private static final long serialVersionUID = 1L;

  public ProcessStartException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "process_start_failed";
  }
}
