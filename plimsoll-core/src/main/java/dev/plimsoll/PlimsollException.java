package dev.plimsoll;

/**
 * Base of every error Plimsoll reports. {@link #code()} is a stable machine-readable name (the HTTP
 * API returns it as {@code error.code}).
 */
public abstract class PlimsollException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected PlimsollException(String message) {
    super(message);
  }

  protected PlimsollException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * For refusals that happen at high rates under load (a full queue or buffer): no stack trace is
   * captured. The message names the bound and its limit, which is all the caller needs.
   */
  protected PlimsollException(String message, boolean stackless) {
    super(message, null, false, !stackless);
  }

  /** A stable, lower-snake-case name of the error kind, e.g. {@code queue_full}. */
  public abstract String code();
}
