package dev.plimsoll.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Ask for up to {@code max} QUEUED jobs, highest priority first, then oldest, round-robin across
 * queues. Claimed jobs move to RUNNING with {@code attempts + 1}, a lease until {@code now + lease}
 * (stores with leases) and a fresh fencing token.
 *
 * @param max 1 or more
 * @param types only these types; never empty
 * @param nodeId who claims (recorded with the lease)
 * @param now the engine clock's time
 * @param lease how long the claim holds without a heartbeat
 */
public record ClaimRequest(int max, Set<String> types, String nodeId, Instant now, Duration lease) {
  public ClaimRequest {
    if (max < 1) {
      throw new IllegalArgumentException("claim max must be >= 1, got " + max);
    }
    types = Set.copyOf(types);
  }
}
