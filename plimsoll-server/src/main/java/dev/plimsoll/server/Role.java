package dev.plimsoll.server;

import java.util.Locale;

/** What a token may do. */
public enum Role {
  /** Everything, on every tenant's jobs: stats, the dead-letter queue, purges. */
  ADMIN,
  /** Submit, read, list, cancel and retry the jobs of its own tenant. */
  CLIENT,
  /** Claim jobs as a remote worker, heartbeat, complete and fail them. */
  WORKER;

  /** Parses {@code admin}, {@code client} or {@code worker}, case-insensitive. */
  public static Role parse(String text) {
    for (Role r : values()) {
      if (r.name().equalsIgnoreCase(text)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "role must be one of admin, client, worker, got '" + text + "'");
  }

  public String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
