package dev.plimsoll;

/**
 * The store could not be reached or failed an operation. For a submission this means the job was
 * <em>not</em> accepted; the caller may retry.
 */
public final class StoreUnavailableException extends PlimsollException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "store_unavailable";
  }
}
