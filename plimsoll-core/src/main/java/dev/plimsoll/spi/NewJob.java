package dev.plimsoll.spi;

import dev.plimsoll.JobId;
import java.time.Instant;

/**
 * A validated job to insert. Enters SCHEDULED when {@code runAt} is after {@code createdAt}, else
 * QUEUED.
 */
public record NewJob(
    JobId id,
    String queue,
    String type,
    byte[] payload,
    String owner,
    String idempotencyKey,
    int priority,
    int maxAttempts,
    long timeoutMillis,
    Instant createdAt,
    Instant runAt) {

  public boolean delayed() {
    return runAt.isAfter(createdAt);
  }
}
