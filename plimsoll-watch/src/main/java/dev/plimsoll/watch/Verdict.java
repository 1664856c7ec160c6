package dev.plimsoll.watch;

/** The outcome of a leak watch, for one resource or the whole process, and its exit code. */
public enum Verdict {
  /** Material and consistent growth: exit code 1. */
  LEAK(1),
  /** No material growth: exit code 0. */
  STABLE(0),
  /** Too few samples, or growth too noisy to call: exit code 2 (as for errors). */
  INCONCLUSIVE(2);

  private final int exitCode;

  Verdict(int exitCode) {
    this.exitCode = exitCode;
  }

  /** 0 stable, 1 leak, 2 inconclusive; errors before a watch starts also exit 2. */
  public int exitCode() {
    return exitCode;
  }
}
