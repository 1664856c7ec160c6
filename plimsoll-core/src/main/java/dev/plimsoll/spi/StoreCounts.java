package dev.plimsoll.spi;

import dev.plimsoll.JobState;
import java.util.Map;

/**
 * What a store holds now.
 *
 * @param byState job count per state (every state present, 0 when none)
 * @param pendingByQueue SCHEDULED + QUEUED per queue
 */
public record StoreCounts(Map<JobState, Long> byState, Map<String, Long> pendingByQueue) {
  public StoreCounts {
    byState = Map.copyOf(byState);
    pendingByQueue = Map.copyOf(pendingByQueue);
  }

  public long count(JobState state) {
    return byState.getOrDefault(state, 0L);
  }

  public long total() {
    return byState.values().stream().mapToLong(Long::longValue).sum();
  }
}
