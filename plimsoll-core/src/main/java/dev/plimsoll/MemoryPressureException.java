package dev.plimsoll;

/**
 * The engine is shedding new submissions because its {@link PressureSignal} (the memory watchdog)
 * reports memory pressure. Nothing was changed; the caller may retry later (the HTTP API answers
 * 503 with {@code Retry-After}). No stack trace is captured: under pressure this is thrown at high
 * rates.
 */
public final class MemoryPressureException extends PlimsollException {
  private static final long serialVersionUID = 1L;

  public MemoryPressureException(String reason) {
    super("submission refused under memory pressure: " + reason, true);
  }

  @Override
  public String code() {
    return "memory_pressure";
  }
}
