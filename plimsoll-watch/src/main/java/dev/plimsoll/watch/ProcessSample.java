package dev.plimsoll.watch;

/**
 * One reading of a process. A value of -1 means the platform does not tell.
 *
 * @param atMillis milliseconds since the watch started
 * @param residentBytes resident set size
 * @param threads live threads
 * @param openFiles open file descriptors (handles on Windows)
 * @param childProcesses live descendants (children, grandchildren, ...)
 */
public record ProcessSample(
    long atMillis, long residentBytes, long threads, long openFiles, long childProcesses) {

  /** The value of a process measure ({@link Measure#RESIDENT_MEMORY} ... CHILD_PROCESSES). */
  public double value(Measure measure) {
    switch (measure) {
      case RESIDENT_MEMORY:
        return residentBytes;
      case THREADS:
        return threads;
      case OPEN_FILES:
        return openFiles;
      case CHILD_PROCESSES:
        return childProcesses;
      default:
        throw new IllegalArgumentException(measure + " is not a process measure");
    }
  }
}
