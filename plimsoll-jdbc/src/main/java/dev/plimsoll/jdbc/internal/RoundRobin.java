package dev.plimsoll.jdbc.internal;

import java.util.ArrayList;
import java.util.List;

/** The round-robin pick of a claim: one candidate of each queue per round, in the given order. */
final class RoundRobin {
  private RoundRobin() {}

  /**
   * Takes the first candidate of each list, then the second of each, and so on, until {@code max}
   * are taken or every list is used up.
   *
   * @param candidates per queue, its best candidates first; queues in the order of each round
   */
  static <T> List<T> pick(List<List<T>> candidates, int max) {
    List<T> picked = new ArrayList<>(max);
    for (int rank = 0; picked.size() < max; rank++) {
      boolean any = false;
      for (List<T> queue : candidates) {
        if (rank < queue.size() && picked.size() < max) {
          picked.add(queue.get(rank));
          any = true;
        }
      }
      if (!any) {
        break;
      }
    }
    return picked;
  }
}
