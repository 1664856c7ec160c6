package dev.plimsoll;

/** The engine (or scope) is shutting down or closed and admits no new work. */
public final class EngineClosedException extends PlimsollException {
  private static final long serialVersionUID = 1L;

  public EngineClosedException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "shutting_down";
  }
}
