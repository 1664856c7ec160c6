package dev.plimsoll.micrometer;

import dev.plimsoll.BufferStats;
import dev.plimsoll.EngineStats;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Exports an engine's stats as Micrometer meters (counters for totals, gauges for levels and
 * latency percentiles, one series per state, queue and bounded buffer). Reads are served from a
 * snapshot refreshed at most once per second, so a scrape costs one snapshot, and nothing is added
 * to the job hot path.
 *
 * <pre>{@code new PlimsollMetrics(engine).bindTo(registry);}</pre>
 *
 * <p>Meters hold the engine weakly (as Micrometer does with every state object) and this binder
 * strongly, so {@code new PlimsollMetrics(engine).bindTo(registry)} needs no reference kept.
 *
 * <p>Micrometer is an optional dependency of plimsoll-core: this class is the only one that needs
 * it.
 */
public final class PlimsollMetrics implements MeterBinder {
  private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final JobEngine engine;
  private final Tags tags;
  private EngineStats cached;
  private long cachedAt;
  private MultiGauge queuePending;
  private MultiGauge bufferSize;
  private MultiGauge bufferRejected;
  private MultiGauge bufferDropped;

  public PlimsollMetrics(JobEngine engine) {
    this(engine, Tags.empty());
  }

  public PlimsollMetrics(JobEngine engine, Tags tags) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.tags = Objects.requireNonNull(tags, "tags");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "plimsoll.jobs.submitted", "jobs accepted", EngineStats::totalQueued);
    counter(registry, "plimsoll.jobs.processed", "attempts ended", EngineStats::totalProcessed);
    counter(registry, "plimsoll.jobs.succeeded", "jobs succeeded", EngineStats::totalSucceeded);
    counter(registry, "plimsoll.jobs.errors", "attempts failed", EngineStats::totalErrors);
    counter(registry, "plimsoll.jobs.retried", "retries scheduled", EngineStats::totalRetried);
    counter(registry, "plimsoll.jobs.dead", "jobs dead-lettered", EngineStats::totalDead);
    counter(registry, "plimsoll.jobs.cancelled", "jobs cancelled", EngineStats::totalCancelled);
    counter(registry, "plimsoll.jobs.rejected", "submissions refused", EngineStats::totalRejected);
    counter(
        registry, "plimsoll.jobs.dropped", "jobs dropped (DROP_OLDEST)", EngineStats::totalDropped);
    counter(registry, "plimsoll.jobs.purged", "finished jobs purged", EngineStats::totalPurged);
    counter(registry, "plimsoll.jobs.timedout", "attempts timed out", EngineStats::totalTimedOut);
    counter(
        registry, "plimsoll.listener.errors", "listener exceptions", EngineStats::listenerErrors);
    counter(
        registry,
        "plimsoll.remote.stale",
        "remote heartbeats and reports refused (stale token)",
        EngineStats::staleRemoteReports);
    counter(
        registry,
        "plimsoll.remote.expired",
        "remote attempts failed by lease expiry",
        EngineStats::remoteLeasesExpired);

    gauge(registry, "plimsoll.jobs.running", "attempts running", EngineStats::running);
    gauge(registry, "plimsoll.jobs.running.peak", "most attempts at once", EngineStats::peakActive);
    gauge(registry, "plimsoll.jobs.pending", "jobs scheduled or queued", EngineStats::queuedTasks);
    gauge(registry, "plimsoll.jobs.pending.peak", "most jobs pending", EngineStats::peakQueueSize);
    gauge(registry, "plimsoll.workers.max", "global concurrency", EngineStats::maxConcurrency);
    gauge(
        registry,
        "plimsoll.workers.utilization",
        "running / workers (%)",
        EngineStats::utilizationPercent);
    gauge(registry, "plimsoll.workers.stuck", "stuck workers", EngineStats::stuckWorkers);
    gauge(registry, "plimsoll.breakers.open", "breakers not closed", s -> s.openBreakers().size());
    gauge(registry, "plimsoll.scopes.open", "open scopes", EngineStats::openScopes);
    gauge(
        registry,
        "plimsoll.scopes.tasks",
        "scope tasks queued or running",
        EngineStats::scopeTasks);
    gauge(registry, "plimsoll.threads", "engine threads alive", EngineStats::engineThreads);
    gauge(registry, "plimsoll.remote.leases", "jobs held by remote workers", s -> s.remoteLeases());
    gauge(registry, "plimsoll.remote.parked", "remote claims waiting", s -> s.parkedClaims());
    gauge(registry, "plimsoll.wait.p50", "wait p50 (ms)", s -> s.waitTime().p50Millis());
    gauge(registry, "plimsoll.wait.p99", "wait p99 (ms)", s -> s.waitTime().p99Millis());
    gauge(registry, "plimsoll.run.p50", "run p50 (ms)", s -> s.runTime().p50Millis());
    gauge(registry, "plimsoll.run.p99", "run p99 (ms)", s -> s.runTime().p99Millis());
    for (JobState state : JobState.values()) {
      Gauge.builder(
              "plimsoll.jobs.state", this, m -> m.stats().countsByState().getOrDefault(state, 0L))
          .description("jobs held by the store per state")
          .tags(tags.and("state", state.name()))
          .register(registry);
    }
    queuePending =
        MultiGauge.builder("plimsoll.queue.pending")
            .description("pending jobs per queue")
            .tags(tags)
            .register(registry);
    bufferSize =
        MultiGauge.builder("plimsoll.buffer.size")
            .description("items held per buffer")
            .tags(tags)
            .register(registry);
    bufferRejected =
        MultiGauge.builder("plimsoll.buffer.rejected")
            .description("items refused per buffer")
            .tags(tags)
            .register(registry);
    bufferDropped =
        MultiGauge.builder("plimsoll.buffer.dropped")
            .description("items dropped per buffer")
            .tags(tags)
            .register(registry);
    refreshMulti(stats());
  }

  private void counter(
      MeterRegistry registry, String name, String description, ToDoubleFunction<EngineStats> f) {
    FunctionCounter.builder(name, engine, e -> f.applyAsDouble(stats()))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry, String name, String description, ToDoubleFunction<EngineStats> f) {
    Gauge.builder(name, engine, e -> f.applyAsDouble(stats()))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private synchronized EngineStats stats() {
    long now = System.nanoTime();
    if (cached == null || now - cachedAt > REFRESH_NANOS) {
      cached = engine.stats();
      cachedAt = now;
      if (queuePending != null) {
        refreshMulti(cached);
      }
    }
    return cached;
  }

  private void refreshMulti(EngineStats s) {
    List<MultiGauge.Row<?>> queues = new ArrayList<>();
    for (Map.Entry<String, Long> e : s.pendingByQueue().entrySet()) {
      queues.add(MultiGauge.Row.of(Tags.of("queue", e.getKey()), e.getValue()));
    }
    queuePending.register(queues, true);
    List<MultiGauge.Row<?>> size = new ArrayList<>();
    List<MultiGauge.Row<?>> rejected = new ArrayList<>();
    List<MultiGauge.Row<?>> dropped = new ArrayList<>();
    for (BufferStats b : s.buffers()) {
      Tags t = Tags.of("buffer", b.name());
      size.add(MultiGauge.Row.of(t, b.size()));
      rejected.add(MultiGauge.Row.of(t, b.rejected()));
      dropped.add(MultiGauge.Row.of(t, b.dropped()));
    }
    bufferSize.register(size, true);
    bufferRejected.register(rejected, true);
    bufferDropped.register(dropped, true);
  }
}
