package dev.plimsoll.jdbc;

/**
 * SQLite's {@code synchronous} setting in WAL mode: how often it waits for the disk. Every level
 * keeps committed jobs through a crash of the process (kill -9); they differ on a crash of the
 * operating system or a power cut. See docs/stores.md.
 */
public enum SqliteSynchronous {
  /**
   * The default. Syncs the write-ahead log at checkpoints, not at every commit: a process crash
   * loses nothing; a power cut may roll back the last transactions committed before it.
   */
  NORMAL,
  /** Syncs the write-ahead log at every commit: committed jobs survive a power cut too. Slower. */
  FULL
}
