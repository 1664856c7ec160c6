package dev.plimsoll.watch;

/**
 * How one class grew between the start and end class histograms of a JVM target.
 *
 * @param className the class as {@code jcmd GC.class_histogram} names it (e.g. {@code [B}, {@code
 *     com.example.LeakyRecord})
 */
public record ClassGrowth(
    String className,
    long instancesBefore,
    long instancesAfter,
    long bytesBefore,
    long bytesAfter) {
  public long instancesGrown() {
    return instancesAfter - instancesBefore;
  }

  public long bytesGrown() {
    return bytesAfter - bytesBefore;
  }
}
