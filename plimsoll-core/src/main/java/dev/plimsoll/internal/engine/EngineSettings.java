package dev.plimsoll.internal.engine;

import dev.plimsoll.BackoffPolicy;
import dev.plimsoll.BreakerConfig;
import dev.plimsoll.HealthRules;
import dev.plimsoll.JobHandler;
import dev.plimsoll.JobListener;
import dev.plimsoll.PressureSignal;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.ShutdownMode;
import dev.plimsoll.WorkerThreads;
import dev.plimsoll.spi.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/** The engine's frozen configuration, validated by {@link dev.plimsoll.EngineBuilder}. */
public record EngineSettings(
    JobStore store,
    boolean ownsStore,
    Clock clock,
    int concurrency,
    Map<String, Integer> typeConcurrency,
    Map<String, QueueConfig> queues,
    QueueConfig defaultQueueConfig,
    String defaultQueue,
    Map<String, JobHandler> handlers,
    boolean acceptTypesWithoutHandler,
    int defaultMaxAttempts,
    Duration defaultTimeout,
    BackoffPolicy backoff,
    DoubleSupplier jitter,
    RetentionPolicy finishedRetention,
    RetentionPolicy deadRetention,
    int maxResultBytes,
    int maxErrorChars,
    int maxPayloadBytes,
    BreakerConfig breaker,
    Duration maintenanceInterval,
    int purgeBatch,
    List<JobListener> listeners,
    HealthRules healthRules,
    ShutdownMode shutdownMode,
    Duration shutdownGrace,
    String nodeId,
    Duration lease,
    WorkerThreads workerThreads,
    Duration stuckGrace,
    int maxQueues,
    int maxTypes,
    int maxWaiters,
    int maxOpenScopes,
    int maxTasksPerScope,
    int scopeTaskCapacity,
    int claimBatch,
    int submitBatch,
    Duration pollInterval,
    int maxBuffers,
    PressureSignal pressure,
    int maxParkedClaims,
    int maxRemoteLeases) {

  public QueueConfig queueConfig(String name) {
    QueueConfig q = queues.get(name);
    return q != null ? q : defaultQueueConfig;
  }
}
