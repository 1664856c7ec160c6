package dev.plimsoll.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToLongFunction;

/** Synthetic sample series for the analysis, plot and report tests. */
final class Series {
  static final long MB = 1024 * 1024;

  private Series() {}

  /** {@code n} samples one second apart; resident memory from {@code rss}, the rest flat. */
  static List<ProcessSample> rss(int n, IntToLongFunction rss) {
    List<ProcessSample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ProcessSample(i * 1000L, rss.applyAsLong(i), 20, 10, 0));
    }
    return out;
  }

  /** {@code n} samples one second apart with flat memory and threads from {@code threads}. */
  static List<ProcessSample> threads(int n, IntToLongFunction threads) {
    List<ProcessSample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ProcessSample(i * 1000L, 100 * MB, threads.applyAsLong(i), 10, 0));
    }
    return out;
  }

  static IntToLongFunction noise(long level, long amplitude, long seed) {
    Random r = new Random(seed);
    return i -> level + (long) ((r.nextDouble() * 2 - 1) * amplitude);
  }
}
