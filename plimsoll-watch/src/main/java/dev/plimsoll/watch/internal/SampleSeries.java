package dev.plimsoll.watch.internal;

import dev.plimsoll.watch.ProcessSample;
import java.util.ArrayList;
import java.util.List;

/**
 * The samples of a watch, held in at most {@code capacity} entries: when full, every other sample
 * is dropped and from then on only every {@code stride}-th offered sample is kept, so the series
 * stays evenly spread over the whole run. Not thread-safe: the watch loop owns it.
 */
public final class SampleSeries {
  private final int capacity;
  private final List<ProcessSample> samples;
  private long offered;
  private long stride = 1;

  public SampleSeries(int capacity) {
    this.capacity = capacity;
    this.samples = new ArrayList<>(Math.min(capacity, 4_096));
  }

  public void add(ProcessSample sample) {
    if (offered++ % stride != 0) {
      return;
    }
    if (samples.size() == capacity) {
      List<ProcessSample> kept = new ArrayList<>(capacity);
      for (int i = 0; i < samples.size(); i += 2) {
        kept.add(samples.get(i));
      }
      samples.clear();
      samples.addAll(kept);
      stride *= 2;
      if ((offered - 1) % stride != 0) {
        return;
      }
    }
    samples.add(sample);
  }

  public List<ProcessSample> samples() {
    return List.copyOf(samples);
  }

  /** Samples offered, kept or not. */
  public long offered() {
    return offered;
  }

  /** At most {@code max} samples spread evenly over the series, the last one included. */
  public static List<ProcessSample> downsample(List<ProcessSample> all, int max) {
    if (all.size() <= max) {
      return all;
    }
    List<ProcessSample> out = new ArrayList<>(max);
    double step = (all.size() - 1) / (double) (max - 1);
    for (int i = 0; i < max; i++) {
      out.add(all.get((int) Math.round(i * step)));
    }
    return out;
  }
}
