package dev.plimsoll.memory;

import dev.plimsoll.QueueConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One queue: its bound, its pending count and a lane per job type. Guarded by the store lock. */
final class QueueLanes {
  final String name;
  final QueueConfig config;
  private final Map<String, TypeLane> byType = new HashMap<>();
  private final List<TypeLane> lanes = new ArrayList<>();

  /** SCHEDULED + QUEUED jobs of this queue: what its capacity bounds. */
  long pending;

  QueueLanes(String name, QueueConfig config) {
    this.name = name;
    this.config = config;
  }

  void add(MemoryJob job) {
    TypeLane lane = byType.get(job.type);
    if (lane == null) {
      lane = new TypeLane(job.type);
      byType.put(job.type, lane);
      lanes.add(lane);
    }
    lane.add(job);
  }

  boolean remove(MemoryJob job) {
    TypeLane lane = byType.get(job.type);
    return lane != null && lane.remove(job);
  }

  /** Takes the best QUEUED job among {@code types}: highest priority, then oldest. */
  MemoryJob pollBest(Set<String> types) {
    TypeLane best = null;
    MemoryJob bestJob = null;
    for (int i = 0, n = lanes.size(); i < n; i++) {
      TypeLane lane = lanes.get(i);
      MemoryJob head = lane.peek();
      if (head != null
          && types.contains(lane.type)
          && (bestJob == null
              || head.priority > bestJob.priority
              || (head.priority == bestJob.priority && head.seq < bestJob.seq))) {
        best = lane;
        bestJob = head;
      }
    }
    return best == null ? null : best.poll();
  }

  /** The oldest QUEUED job of any type, or null. */
  MemoryJob oldestQueued() {
    MemoryJob best = null;
    for (TypeLane lane : lanes) {
      MemoryJob head = lane.oldest();
      if (head != null && (best == null || head.seq < best.seq)) {
        best = head;
      }
    }
    return best;
  }
}
