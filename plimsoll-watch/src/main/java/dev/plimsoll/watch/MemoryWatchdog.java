package dev.plimsoll.watch;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.plimsoll.BufferStats;
import dev.plimsoll.EngineStats;
import dev.plimsoll.JobEngine;
import dev.plimsoll.PressureSignal;
import dev.plimsoll.internal.RateLimitedLog;
import dev.plimsoll.watch.internal.ProcessProbe;
import dev.plimsoll.watch.internal.SampleRing;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process memory watchdog: a {@link PressureSignal} for the engine that sheds submissions
 * when heap after GC crosses {@link WatchdogConfig#shedFraction()} and stops only once it is back
 * under {@link WatchdogConfig#resumeFraction()}.
 *
 * <pre>{@code
 * MemoryWatchdog watchdog = MemoryWatchdog.start(WatchdogConfig.defaults());
 * JobEngine engine = JobEngine.builder().pressure(watchdog)...start();
 * watchdog.watch(engine);              // adds the engine's held counts to the samples
 * new WatchdogMetrics(watchdog).bindTo(registry);
 * }</pre>
 *
 * <p>Heap after GC comes from GC notifications (the heap pools' usage after each collection), not
 * from raw heap use, which swings with every allocation. One sampler thread ({@code
 * plimsoll-watchdog}, daemon) reads resident memory, threads, open files, descendants and the
 * engine's counts every {@link WatchdogConfig#interval()}. Every measure has a fixed-capacity ring.
 *
 * <p>Concurrency: samples arrive from the GC notification thread, the sampler thread or a test
 * (through {@link #record}); level transitions are serialized on this object and published through
 * volatile fields, so {@link #shedReason()} and {@link #healthReasons()} (called on every submit
 * and health check) are two volatile reads. {@link #close()} is idempotent: it stops the sampler
 * and removes the GC listeners.
 */
public final class MemoryWatchdog implements PressureSignal, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryWatchdog.class);

  private final WatchdogConfig config;
  private final Clock clock;
  private final EnumMap<Measure, SampleRing> rings = new EnumMap<>(Measure.class);
  private final long maxHeap;
  private final RateLimitedLog warnLog;
  private final RateLimitedLog shedLog;
  private final RateLimitedLog normalLog;
  private final ScheduledExecutorService sampler;
  private volatile Thread samplerThread;
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener gcListener = this::onGc;
  private final Set<String> heapPools;
  private final ProcessProbe probe;

  private volatile JobEngine engine;
  private volatile PressureLevel level = PressureLevel.NORMAL;
  private volatile String shedReason;
  private volatile List<String> healthReasons = List.of();
  private volatile double heapFraction = Double.NaN;
  private long warnings;
  private long sheddings;
  private long recoveries;
  private boolean closed;

  private MemoryWatchdog(WatchdogConfig config, Clock clock, boolean live) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    for (Measure m : Measure.values()) {
      rings.put(m, new SampleRing(config.capacity()));
    }
    long jvmMax = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    this.maxHeap =
        config.maxHeapBytes() > 0
            ? config.maxHeapBytes()
            : jvmMax > 0 ? jvmMax : Runtime.getRuntime().maxMemory();
    long logNanos = config.logInterval().toNanos();
    this.warnLog = new RateLimitedLog(LOG, logNanos, TimeUnit.NANOSECONDS);
    this.shedLog = new RateLimitedLog(LOG, logNanos, TimeUnit.NANOSECONDS);
    this.normalLog = new RateLimitedLog(LOG, logNanos, TimeUnit.NANOSECONDS);
    this.heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    if (live) {
      this.probe = new ProcessProbe();
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter) {
          NotificationEmitter emitter = (NotificationEmitter) gc;
          emitter.addNotificationListener(
              gcListener,
              n ->
                  GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                      n.getType()),
              null);
          emitters.add(emitter);
        }
      }
      this.sampler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "plimsoll-watchdog");
                t.setDaemon(true);
                samplerThread = t;
                return t;
              });
      long every = config.interval().toMillis();
      sampler.scheduleWithFixedDelay(this::sampleSafely, 0, every, TimeUnit.MILLISECONDS);
    } else {
      this.probe = null;
      this.sampler = null;
    }
  }

  /** Starts a watchdog on the system clock: registers the GC listeners and the sampler thread. */
  public static MemoryWatchdog start(WatchdogConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** Starts a watchdog whose samples are stamped by {@code clock}. */
  public static MemoryWatchdog start(WatchdogConfig config, Clock clock) {
    return new MemoryWatchdog(config, clock, true);
  }

  /**
   * A watchdog with no sampler thread and no GC listener: samples arrive only through {@link
   * #record} and {@link #recordHeapAfterGc}. For tests and for callers that sample themselves.
   */
  public static MemoryWatchdog manual(WatchdogConfig config, Clock clock) {
    return new MemoryWatchdog(config, clock, false);
  }

  /** Adds {@code engine}'s held counts (pending, running, scopes, buffered) to every sample. */
  public void watch(JobEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  public WatchdogConfig config() {
    return config;
  }

  /** The max heap that fractions are measured against. */
  public long maxHeapBytes() {
    return maxHeap;
  }

  /** Records heap used after a GC (bytes) and re-evaluates the pressure level. */
  public void recordHeapAfterGc(long usedBytes) {
    if (usedBytes < 0) {
      throw new IllegalArgumentException("usedBytes must be >= 0, was " + usedBytes);
    }
    rings.get(Measure.HEAP_AFTER_GC).add(clock.millis(), usedBytes);
    evaluate((double) usedBytes / maxHeap);
  }

  /** Records one sample of a measure other than heap after GC (negative = unknown, ignored). */
  public void record(Measure measure, double value) {
    if (measure == Measure.HEAP_AFTER_GC) {
      recordHeapAfterGc((long) value);
    } else if (value >= 0) {
      rings.get(measure).add(clock.millis(), value);
    }
  }

  /** Takes one sample of the process and the engine now (what the sampler thread does). */
  public void sampleNow() {
    if (probe != null) {
      ProcessSample s = probe.sample(ProcessHandle.current().pid(), 0);
      if (s != null) {
        record(Measure.RESIDENT_MEMORY, s.residentBytes());
        record(Measure.THREADS, s.threads());
        record(Measure.OPEN_FILES, s.openFiles());
        record(Measure.CHILD_PROCESSES, s.childProcesses());
      }
    }
    JobEngine e = engine;
    if (e != null) {
      EngineStats stats = e.stats();
      record(Measure.ENGINE_PENDING, stats.queuedTasks());
      record(Measure.ENGINE_RUNNING, stats.running());
      record(Measure.ENGINE_OPEN_SCOPES, stats.openScopes());
      record(Measure.ENGINE_SCOPE_TASKS, stats.scopeTasks());
      record(Measure.ENGINE_BUFFERED, stats.buffers().stream().mapToLong(BufferStats::size).sum());
      record(Measure.ENGINE_REMOTE_LEASES, stats.remoteLeases());
    }
  }

  private void sampleSafely() {
    try {
      sampleNow();
    } catch (RuntimeException e) {
      warnLog.warn("memory watchdog: sampling failed: {}", e.toString());
    }
  }

  private void onGc(Notification notification, Object handback) {
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool :
        info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    recordHeapAfterGc(used);
  }

  /** The level transition: shed at >= shed, keep shedding until below resume; warn at >= warn. */
  private synchronized void evaluate(double fraction) {
    heapFraction = fraction;
    PressureLevel previous = level;
    PressureLevel next;
    if (fraction >= config.shedFraction()
        || (previous == PressureLevel.SHEDDING && fraction >= config.resumeFraction())) {
      next = PressureLevel.SHEDDING;
    } else if (fraction >= config.warnFraction()) {
      next = PressureLevel.WARNING;
    } else {
      next = PressureLevel.NORMAL;
    }
    String heap =
        "heap after GC " + pct(fraction) + " of max " + Measure.HEAP_AFTER_GC.format(maxHeap);
    if (next == PressureLevel.SHEDDING) {
      String why =
          fraction >= config.shedFraction()
              ? heap + " >= " + pct(config.shedFraction()) + " (shed threshold)"
              : heap + ", shedding until below " + pct(config.resumeFraction());
      shedReason = why;
      healthReasons = List.of(why + ": new submissions refused");
    } else {
      shedReason = null;
      healthReasons =
          next == PressureLevel.WARNING
              ? List.of(heap + " >= " + pct(config.warnFraction()) + " (warning)")
              : List.of();
    }
    level = next;
    if (next == previous) {
      return;
    }
    String context = context();
    switch (next) {
      case SHEDDING:
        sheddings++;
        shedLog.warn("memory watchdog: {}: shedding new submissions; {}", shedReason, context);
        break;
      case WARNING:
        if (previous == PressureLevel.NORMAL) {
          warnings++;
        }
        warnLog.warn("memory watchdog: {} (was {}); {}", healthReasons.get(0), previous, context);
        break;
      default:
        recoveries++;
        normalLog.info(
            "memory watchdog: {} < {}: back to normal (was {}); {}",
            heap,
            pct(config.warnFraction()),
            previous,
            context);
    }
  }

  private String context() {
    long since = clock.millis() - config.trendWindow().toMillis();
    Trend heapTrend = rings.get(Measure.HEAP_AFTER_GC).trendSince(since);
    StringBuilder b = new StringBuilder();
    b.append("heap-after-GC trend ")
        .append(Measure.HEAP_AFTER_GC.formatRate(heapTrend.slopePerHour()))
        .append(String.format(" (R² %.2f, %d samples)", heapTrend.r2(), heapTrend.samples()));
    for (Measure m : List.of(Measure.RESIDENT_MEMORY, Measure.THREADS, Measure.ENGINE_PENDING)) {
      double v = rings.get(m).latest();
      if (!Double.isNaN(v)) {
        b.append(", ").append(m.label()).append(' ').append(m.format(v));
      }
    }
    return b.toString();
  }

  private static String pct(double fraction) {
    return Math.round(fraction * 100) + "%";
  }

  @Override
  public String shedReason() {
    return shedReason;
  }

  @Override
  public List<String> healthReasons() {
    return healthReasons;
  }

  public PressureLevel level() {
    return level;
  }

  /** Heap used after the last GC / max heap, NaN before the first GC was seen. */
  public double heapAfterGcFraction() {
    return heapFraction;
  }

  /** The newest value of {@code measure}, NaN when none was sampled. */
  public double latest(Measure measure) {
    return rings.get(measure).latest();
  }

  /** The trend of {@code measure} over the configured trend window. */
  public Trend trend(Measure measure) {
    return trend(measure, config.trendWindow());
  }

  /** The trend of {@code measure} over the last {@code window}. */
  public Trend trend(Measure measure, Duration window) {
    return rings.get(measure).trendSince(clock.millis() - window.toMillis());
  }

  public synchronized WatchdogSnapshot snapshot() {
    Map<Measure, Double> latest = new EnumMap<>(Measure.class);
    Map<Measure, Trend> trends = new EnumMap<>(Measure.class);
    for (Measure m : Measure.values()) {
      SampleRing ring = rings.get(m);
      if (ring.size() > 0) {
        latest.put(m, ring.latest());
        trends.put(m, trend(m));
      }
    }
    return new WatchdogSnapshot(
        clock.instant(),
        level,
        heapFraction,
        maxHeap,
        Map.copyOf(latest),
        Map.copyOf(trends),
        warnings,
        sheddings,
        recoveries,
        shedReason,
        healthReasons);
  }

  /** True once {@link #close()} ran. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** The GC listener (package-private so a test can check it was removed). */
  NotificationListener gcListener() {
    return gcListener;
  }

  /** Stops the sampler thread and removes the GC listeners; idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (sampler != null) {
      sampler.shutdownNow();
      try {
        sampler.awaitTermination(5, TimeUnit.SECONDS);
        Thread t = samplerThread;
        if (t != null && t != Thread.currentThread()) {
          t.join(TimeUnit.SECONDS.toMillis(5));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(gcListener);
      } catch (ListenerNotFoundException e) {
        // already gone
      }
    }
    emitters.clear();
  }
}
