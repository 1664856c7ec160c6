package dev.plimsoll.watch.micrometer;

import dev.plimsoll.watch.Measure;
import dev.plimsoll.watch.MemoryWatchdog;
import dev.plimsoll.watch.PressureLevel;
import dev.plimsoll.watch.WatchdogSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Exports a {@link MemoryWatchdog} as Micrometer meters: {@code new
 * WatchdogMetrics(watchdog).bindTo(registry)}. Gauges read the watchdog's volatile state or its
 * rings when scraped (a trend costs one pass over a ring of at most {@link
 * dev.plimsoll.watch.WatchdogConfig#capacity()} samples). Needs micrometer-core on the class path
 * (an optional dependency).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>plimsoll.watch.heap.after.gc.fraction</td><td>gauge: heap after the last GC / max</td></tr>
 *   <tr><td>plimsoll.watch.value{measure}</td><td>gauge: newest sample of each measure (bytes or count)</td></tr>
 *   <tr><td>plimsoll.watch.slope{measure}</td><td>gauge: least-squares slope per hour over the trend window</td></tr>
 *   <tr><td>plimsoll.watch.r2{measure}</td><td>gauge: R² of that slope</td></tr>
 *   <tr><td>plimsoll.watch.shedding</td><td>gauge: 1 while submissions are shed, else 0</td></tr>
 *   <tr><td>plimsoll.watch.level</td><td>gauge: 0 normal, 1 warning, 2 shedding</td></tr>
 *   <tr><td>plimsoll.watch.crossings{to=warning|shedding|normal}</td><td>counters</td></tr>
 * </table>
 */
public final class WatchdogMetrics implements MeterBinder {
  private final MemoryWatchdog watchdog;
  private final Tags tags;

  public WatchdogMetrics(MemoryWatchdog watchdog) {
    this(watchdog, Tags.empty());
  }

  public WatchdogMetrics(MemoryWatchdog watchdog, Tags tags) {
    this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
    this.tags = Objects.requireNonNull(tags, "tags");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(
        registry,
        "plimsoll.watch.heap.after.gc.fraction",
        "heap after the last GC / max heap",
        Tags.empty(),
        MemoryWatchdog::heapAfterGcFraction);
    gauge(
        registry,
        "plimsoll.watch.shedding",
        "1 while new submissions are shed",
        Tags.empty(),
        w -> w.level() == PressureLevel.SHEDDING ? 1 : 0);
    gauge(
        registry,
        "plimsoll.watch.level",
        "0 normal, 1 warning, 2 shedding",
        Tags.empty(),
        w -> w.level().ordinal());
    for (Measure m : Measure.values()) {
      Tags measure = Tags.of("measure", m.key());
      gauge(
          registry,
          "plimsoll.watch.value",
          "newest sample (bytes or count)",
          measure,
          w -> w.latest(m));
      gauge(
          registry,
          "plimsoll.watch.slope",
          "least-squares slope per hour over the trend window",
          measure,
          w -> w.trend(m).slopePerHour());
      gauge(registry, "plimsoll.watch.r2", "R² of the slope", measure, w -> w.trend(m).r2());
    }
    counter(registry, "warning", WatchdogSnapshot::warnings);
    counter(registry, "shedding", WatchdogSnapshot::sheddings);
    counter(registry, "normal", WatchdogSnapshot::recoveries);
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String help,
      Tags extra,
      ToDoubleFunction<MemoryWatchdog> f) {
    Gauge.builder(name, watchdog, f).description(help).tags(tags.and(extra)).register(registry);
  }

  private void counter(MeterRegistry registry, String to, ToDoubleFunction<WatchdogSnapshot> f) {
    FunctionCounter.builder(
            "plimsoll.watch.crossings", watchdog, w -> f.applyAsDouble(w.snapshot()))
        .description("pressure level crossings into the tagged level")
        .tags(tags.and("to", to))
        .register(registry);
  }
}
