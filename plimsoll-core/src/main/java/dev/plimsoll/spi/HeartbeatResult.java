package dev.plimsoll.spi;

import dev.plimsoll.JobId;
import java.util.Set;

/**
 * @param lost attempts whose lease was lost (expired and recovered, or fenced): stop them and
 *     discard their outcome
 * @param cancelRequested attempts whose job was asked to cancel: interrupt them
 */
public record HeartbeatResult(Set<JobId> lost, Set<JobId> cancelRequested) {
  public static final HeartbeatResult NONE = new HeartbeatResult(Set.of(), Set.of());

  public HeartbeatResult {
    lost = Set.copyOf(lost);
    cancelRequested = Set.copyOf(cancelRequested);
  }
}
