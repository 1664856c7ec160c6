package dev.plimsoll.watch;

/** How {@link LeakWatch} shows progress. */
public enum ProgressMode {
  /** {@link #TERMINAL} when the JVM has a console, else {@link #LINES}. */
  AUTO,
  /** One line rewritten in place with {@code \r}. */
  TERMINAL,
  /** One line per {@link LeakWatchOptions#progressEvery()} samples. */
  LINES,
  /** Only the final verdict line. */
  NONE
}
