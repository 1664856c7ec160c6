package dev.plimsoll.watch;

/** The watchdog's verdict on heap after GC. */
public enum PressureLevel {
  /** Below the warning threshold. */
  NORMAL,
  /** At or above the warning threshold: health is DEGRADED, submissions still admitted. */
  WARNING,
  /**
   * Crossed the shed threshold and not yet back under the resume threshold: submissions refused.
   */
  SHEDDING
}
