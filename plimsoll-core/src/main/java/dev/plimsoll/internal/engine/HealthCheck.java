package dev.plimsoll.internal.engine;

import dev.plimsoll.EngineStats;
import dev.plimsoll.Health;
import dev.plimsoll.HealthRules;
import dev.plimsoll.HealthStatus;
import dev.plimsoll.PressureSignal;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/** Applies {@link HealthRules} to a stats snapshot; each broken rule is a named reason. */
final class HealthCheck {
  private final HealthRules rules;
  private final DoubleSupplier heapUsedFraction;
  private final PressureSignal pressure;

  /** With a {@code pressure} signal (nullable), its reasons replace the raw heap-use rule. */
  HealthCheck(HealthRules rules, PressureSignal pressure) {
    this(rules, HealthCheck::heapFraction, pressure);
  }

  HealthCheck(HealthRules rules, DoubleSupplier heapUsedFraction) {
    this(rules, heapUsedFraction, null);
  }

  private HealthCheck(HealthRules rules, DoubleSupplier heapUsedFraction, PressureSignal pressure) {
    this.rules = rules;
    this.heapUsedFraction = heapUsedFraction;
    this.pressure = pressure;
  }

  Health evaluate(EngineStats s, boolean running, String storeProblem, int failedSamples) {
    return evaluate(s, running, storeProblem, failedSamples, List.of());
  }

  /** As above, with reasons found elsewhere (remote work) appended. */
  Health evaluate(
      EngineStats s,
      boolean running,
      String storeProblem,
      int failedSamples,
      List<String> moreReasons) {
    if (!running) {
      return new Health(HealthStatus.DOWN, List.of("engine is not running"));
    }
    List<String> reasons = new ArrayList<>();
    if (storeProblem != null) {
      reasons.add("store unavailable: " + storeProblem);
    }
    if (s.queuedTasks() > rules.maxQueueDepth()) {
      reasons.add("queue depth " + s.queuedTasks() + " > " + rules.maxQueueDepth());
    }
    int samples = s.runTime().samples();
    if (samples >= rules.minSamples()) {
      double rate = (double) failedSamples / samples;
      if (rate > rules.maxFailureRate()) {
        reasons.add(
            String.format(
                Locale.ROOT,
                "failure rate %.1f%% > %.1f%% over the last %d attempts",
                rate * 100,
                rules.maxFailureRate() * 100,
                samples));
      }
      double avg = s.runTime().meanMillis();
      if (avg > rules.maxAverageRunTime().toMillis()) {
        reasons.add(
            String.format(
                Locale.ROOT,
                "average run time %.0f ms > %d ms",
                avg,
                rules.maxAverageRunTime().toMillis()));
      }
    }
    if (pressure != null) {
      reasons.addAll(pressure.healthReasons());
    } else {
      double heap = heapUsedFraction.getAsDouble();
      if (heap > rules.maxHeapUsedFraction()) {
        reasons.add(
            String.format(
                Locale.ROOT,
                "heap used %.0f%% > %.0f%%",
                heap * 100,
                rules.maxHeapUsedFraction() * 100));
      }
    }
    if (s.stuckWorkers() > 0) {
      reasons.add(s.stuckWorkers() + " stuck worker(s) ignoring interruption past their timeout");
    }
    if (!s.openBreakers().isEmpty()) {
      reasons.add("circuit breaker not closed: " + String.join(", ", s.openBreakers()));
    }
    reasons.addAll(moreReasons);
    return new Health(reasons.isEmpty() ? HealthStatus.UP : HealthStatus.DEGRADED, reasons);
  }

  static double heapFraction() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
    return max <= 0 ? 0 : (double) heap.getUsed() / max;
  }
}
