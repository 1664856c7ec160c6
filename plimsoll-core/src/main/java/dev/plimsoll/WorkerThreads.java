package dev.plimsoll;

/** What runs the engine's workers. */
public enum WorkerThreads {
  /** Named platform threads, one per unit of global concurrency. The default. */
  PLATFORM,
  /**
   * Virtual threads (Java 21 or newer; refused at build time on older runtimes), still exactly one
   * per unit of global concurrency.
   */
  VIRTUAL
}
