package dev.plimsoll.watch.internal;

import dev.plimsoll.watch.Spike;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds resident-memory spikes online, sample by sample: a sample more than {@code thresholdBytes}
 * or {@code thresholdPercent} above the lowest sample of the preceding window is part of a spike;
 * consecutive such samples are one spike. Holds the window's samples (at most {@code
 * maxWindowSamples}, the oldest dropped first) and at most {@code maxSpikes} spikes (later ones are
 * only counted). Not thread-safe: the watch loop owns it.
 */
public final class SpikeDetector {
  private final long windowMs;
  private final double thresholdBytes;
  private final double thresholdPercent;
  private final int maxWindowSamples;
  private final int maxSpikes;
  private final ArrayDeque<long[]> window = new ArrayDeque<>();
  private final List<Spike> spikes = new ArrayList<>();
  private long count;
  private Spike open;

  public SpikeDetector(
      long windowMs,
      double thresholdBytes,
      double thresholdPercent,
      int maxWindowSamples,
      int maxSpikes) {
    this.windowMs = windowMs;
    this.thresholdBytes = thresholdBytes;
    this.thresholdPercent = thresholdPercent;
    this.maxWindowSamples = maxWindowSamples;
    this.maxSpikes = maxSpikes;
  }

  public void add(long atMillis, long bytes) {
    while (!window.isEmpty() && atMillis - window.peekFirst()[0] > windowMs) {
      window.pollFirst();
    }
    long low = Long.MAX_VALUE;
    for (long[] s : window) {
      low = Math.min(low, s[1]);
    }
    if (open != null) {
      low = Math.min(low, open.baseBytes());
    }
    boolean over =
        low != Long.MAX_VALUE
            && bytes >= 0
            && (bytes - low > thresholdBytes
                || (low > 0 && 100.0 * (bytes - low) / low > thresholdPercent));
    if (over) {
      if (open == null) {
        open = new Spike(atMillis, atMillis, low, bytes);
        count++;
        if (spikes.size() < maxSpikes) {
          spikes.add(open);
        }
      } else if (bytes > open.peakBytes()) {
        Spike grown = new Spike(open.startMillis(), atMillis, open.baseBytes(), bytes);
        int at = spikes.indexOf(open);
        if (at >= 0) {
          spikes.set(at, grown);
        }
        open = grown;
      }
    } else {
      open = null;
    }
    if (window.size() == maxWindowSamples) {
      window.pollFirst();
    }
    window.addLast(new long[] {atMillis, bytes});
  }

  /** The first {@code maxSpikes} spikes. */
  public List<Spike> spikes() {
    return List.copyOf(spikes);
  }

  /** All spikes seen, including those past {@code maxSpikes}. */
  public long count() {
    return count;
  }
}
