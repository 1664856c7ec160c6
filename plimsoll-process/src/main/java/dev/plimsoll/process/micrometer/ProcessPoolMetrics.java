package dev.plimsoll.process.micrometer;

import dev.plimsoll.process.ProcessPool;
import dev.plimsoll.process.ProcessPoolStats;
import dev.plimsoll.process.WorkerPool;
import dev.plimsoll.process.WorkerPoolStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Exports {@link ProcessPoolStats} (and {@link WorkerPoolStats}) as Micrometer meters, read from a
 * fresh snapshot when scraped: {@code new ProcessPoolMetrics(pool).bindTo(registry)}. The meters
 * reference the pool (weakly, as Micrometer does), not this binder, so the binder need not be kept.
 * Meter names start with {@code plimsoll.process.}; tags {@code pool} (the pool name) and {@code
 * kind} ({@code command} or {@code worker}). Needs micrometer-core on the class path (an optional
 * dependency).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>plimsoll.process.calls.processed / .queued / .errors / .rejected / .timed.out</td><td>counters</td></tr>
 *   <tr><td>plimsoll.process.active / .queued.now / .peak.active / .peak.queued / .max.concurrency / .utilization.percent</td><td>gauges</td></tr>
 *   <tr><td>plimsoll.process.workers.live (gauge), .workers.started, .workers.recycled{reason=tasks|memory}, .workers.killed.memory, .workers.crashes (counters)</td><td>worker pools only</td></tr>
 * </table>
 */
public final class ProcessPoolMetrics implements MeterBinder {
  private final ProcessPool pool;
  private final WorkerPool workers;

  public ProcessPoolMetrics(ProcessPool pool) {
    this.pool = java.util.Objects.requireNonNull(pool, "pool");
    this.workers = null;
  }

  public ProcessPoolMetrics(WorkerPool workers) {
    this.pool = null;
    this.workers = java.util.Objects.requireNonNull(workers, "workers");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (pool != null) {
      bind(pool, registry);
    } else {
      bind(workers, registry);
    }
  }

  private static void bind(ProcessPool pool, MeterRegistry registry) {
    bindTasks(
        pool,
        ProcessPool::stats,
        Tags.of("pool", pool.config().name(), "kind", "command"),
        registry);
  }

  private static void bind(WorkerPool pool, MeterRegistry registry) {
    Tags tags = Tags.of("pool", pool.config().name(), "kind", "worker");
    bindTasks(pool, p -> p.stats().tasks(), tags, registry);
    Gauge.builder("plimsoll.process.workers.live", pool, p -> p.stats().liveWorkers())
        .tags(tags)
        .description("worker processes running")
        .register(registry);
    counter(
        registry, "plimsoll.process.workers.started", tags, pool, p -> p.stats().workersStarted());
    counter(
        registry,
        "plimsoll.process.workers.recycled",
        tags.and("reason", "tasks"),
        pool,
        p -> p.stats().recycledAfterTasks());
    counter(
        registry,
        "plimsoll.process.workers.recycled",
        tags.and("reason", "memory"),
        pool,
        p -> p.stats().recycledForMemory());
    counter(
        registry,
        "plimsoll.process.workers.killed.memory",
        tags,
        pool,
        p -> p.stats().killedForMemory());
    counter(registry, "plimsoll.process.workers.crashes", tags, pool, p -> p.stats().crashes());
  }

  /** Meters hold the pool (which the user holds) weakly, as Micrometer does, never a lambda. */
  private static <T> void bindTasks(
      T pool, Function<T, ProcessPoolStats> stats, Tags tags, MeterRegistry registry) {
    counter(
        registry,
        "plimsoll.process.calls.processed",
        tags,
        pool,
        p -> stats.apply(p).totalProcessed());
    counter(
        registry, "plimsoll.process.calls.queued", tags, pool, p -> stats.apply(p).totalQueued());
    counter(
        registry, "plimsoll.process.calls.errors", tags, pool, p -> stats.apply(p).totalErrors());
    counter(
        registry,
        "plimsoll.process.calls.rejected",
        tags,
        pool,
        p -> stats.apply(p).totalRejected());
    counter(
        registry,
        "plimsoll.process.calls.timed.out",
        tags,
        pool,
        p -> stats.apply(p).totalTimedOut());
    gauge(registry, "plimsoll.process.active", tags, pool, p -> stats.apply(p).activeProcesses());
    gauge(registry, "plimsoll.process.queued.now", tags, pool, p -> stats.apply(p).queuedTasks());
    gauge(registry, "plimsoll.process.peak.active", tags, pool, p -> stats.apply(p).peakActive());
    gauge(
        registry, "plimsoll.process.peak.queued", tags, pool, p -> stats.apply(p).peakQueueSize());
    gauge(
        registry,
        "plimsoll.process.max.concurrency",
        tags,
        pool,
        p -> stats.apply(p).maxConcurrency());
    gauge(
        registry,
        "plimsoll.process.utilization.percent",
        tags,
        pool,
        p -> stats.apply(p).utilizationPercent());
  }

  private static <T> void counter(
      MeterRegistry registry, String name, Tags tags, T pool, ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, pool, value).tags(tags).register(registry);
  }

  private static <T> void gauge(
      MeterRegistry registry, String name, Tags tags, T pool, ToDoubleFunction<T> value) {
    Gauge.builder(name, pool, value).tags(tags).register(registry);
  }
}
