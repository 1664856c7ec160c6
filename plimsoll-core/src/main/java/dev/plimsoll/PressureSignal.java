package dev.plimsoll;

import java.util.List;

/**
 * A source of back-pressure the engine consults before admitting work and when judging its health.
 * The memory watchdog of {@code plimsoll-watch} implements it; install one with {@link
 * EngineBuilder#pressure(PressureSignal)}.
 *
 * <p>Both methods are called on the submission path and by every health check, so they must be
 * cheap: read state that a sampler thread of the implementation's own keeps up to date.
 */
public interface PressureSignal {

  /**
   * Non-null while new submissions must be refused: the reason, naming the measure and its
   * threshold (e.g. {@code "heap after GC 87% >= 85% of max"}). Submissions then fail with {@link
   * MemoryPressureException} and change nothing.
   */
  String shedReason();

  /**
   * Reasons that make health {@code DEGRADED} now (warnings as well as shedding); empty when all is
   * well. When a signal is installed it replaces the engine's own raw heap-use rule.
   */
  List<String> healthReasons();
}
