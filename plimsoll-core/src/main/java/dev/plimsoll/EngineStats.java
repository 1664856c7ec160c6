package dev.plimsoll;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of what the engine has done and holds. Totals count since start on this node.
 *
 * @param at when the snapshot was taken (engine clock)
 * @param totalQueued jobs accepted
 * @param totalProcessed attempts that ended (any outcome)
 * @param totalSucceeded jobs that succeeded
 * @param totalErrors attempts that failed (including timeouts)
 * @param totalRetried failed attempts followed by a scheduled retry
 * @param totalDead jobs moved to the dead-letter queue
 * @param totalCancelled jobs cancelled (by users, scopes, shutdown or DROP_OLDEST)
 * @param totalRejected submissions refused (full queue, invalid, closed, memory pressure)
 * @param totalDropped jobs evicted by DROP_OLDEST
 * @param totalPurged finished jobs removed by retention
 * @param totalTimedOut attempts interrupted at their timeout
 * @param listenerErrors exceptions thrown by listeners
 * @param running attempts running now (incident 003's activeProcesses)
 * @param peakActive most attempts ever running at once
 * @param queuedTasks jobs pending (scheduled + queued) as this node knows
 * @param peakQueueSize most jobs ever pending
 * @param maxConcurrency the global concurrency
 * @param utilizationPercent running / maxConcurrency × 100
 * @param countsByState what the store holds per state
 * @param pendingByQueue pending jobs per queue
 * @param waitTime submit (or run-at) to start, over the recent window
 * @param runTime attempt run time, over the recent window
 * @param stuckWorkers attempts past their timeout that ignored interruption
 * @param openBreakers types whose circuit breaker is open or half-open
 * @param openScopes scopes open now
 * @param scopeTasks scope tasks queued or running
 * @param buffers every registered bounded buffer
 * @param engineThreads engine threads alive (workers + scheduler)
 * @param remoteLeases attempts held by remote workers now ({@link RemoteWorkers}); they are RUNNING
 *     in {@code countsByState} but not in {@code running}, which counts this engine's workers
 * @param parkedClaims remote claims waiting for jobs now (long-poll)
 * @param staleRemoteReports remote heartbeats and reports refused: stale token, job not running
 *     under it, or lease already over
 * @param remoteLeasesExpired remote attempts failed because their lease was not renewed in time
 */
public record EngineStats(
    Instant at,
    long totalQueued,
    long totalProcessed,
    long totalSucceeded,
    long totalErrors,
    long totalRetried,
    long totalDead,
    long totalCancelled,
    long totalRejected,
    long totalDropped,
    long totalPurged,
    long totalTimedOut,
    long listenerErrors,
    int running,
    int peakActive,
    long queuedTasks,
    long peakQueueSize,
    int maxConcurrency,
    double utilizationPercent,
    Map<JobState, Long> countsByState,
    Map<String, Long> pendingByQueue,
    LatencySummary waitTime,
    LatencySummary runTime,
    int stuckWorkers,
    List<String> openBreakers,
    int openScopes,
    long scopeTasks,
    List<BufferStats> buffers,
    int engineThreads,
    int remoteLeases,
    int parkedClaims,
    long staleRemoteReports,
    long remoteLeasesExpired) {}
