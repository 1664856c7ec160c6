package dev.plimsoll;

/** UP: all rules pass. DEGRADED: running, with named reasons. DOWN: not running. */
public enum HealthStatus {
  UP,
  DEGRADED,
  DOWN
}
