package dev.plimsoll;

import java.util.List;

/** The engine's health and, unless UP, why. */
public record Health(HealthStatus status, List<String> reasons) {
  public Health {
    reasons = List.copyOf(reasons);
  }

  public boolean isUp() {
    return status == HealthStatus.UP;
  }
}
