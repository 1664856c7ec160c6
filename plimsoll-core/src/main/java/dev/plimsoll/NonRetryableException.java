package dev.plimsoll;

/**
 * Thrown by a handler to say the failure will not go away on retry (bad payload, permission
 * denied): the job goes straight to the dead-letter queue without burning further attempts.
 */
public class NonRetryableException extends Exception {
  private static final long serialVersionUID = 1L;

  public NonRetryableException(String message) {
    super(message);
  }

  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
