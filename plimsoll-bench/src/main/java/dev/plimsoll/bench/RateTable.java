package dev.plimsoll.bench;

import java.util.Arrays;

/** The Markdown rows the harnesses print: a scenario, its median rate, every iteration's rate. */
final class RateTable {
  private RateTable() {}

  /** {@code | name | **median** | r1 r2 ... |}, the median being the middle of the sorted rates. */
  static String row(String name, long[] perIteration) {
    long[] sorted = perIteration.clone();
    Arrays.sort(sorted);
    StringBuilder all = new StringBuilder();
    for (long v : perIteration) {
      all.append(all.length() == 0 ? "" : " ").append(v);
    }
    return String.format("| %s | **%,d** | %s |", name, sorted[sorted.length / 2], all);
  }
}
