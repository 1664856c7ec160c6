package dev.plimsoll.process;

/**
 * A snapshot of a pool's counters, with the fields incident 003's {@code /api/queue-stats} served.
 *
 * @param totalProcessed calls that ended (any outcome) since the pool started
 * @param totalQueued calls admitted to the pool (each waits in the queue, however briefly)
 * @param totalErrors calls that ended other than by exiting with code 0 (non-zero exit, timeout,
 *     start failure, killed at shutdown)
 * @param totalRejected calls refused because the queue was full
 * @param totalTimedOut calls whose timeout ran out and whose process tree was killed
 * @param peakActive most processes (or busy workers) at once
 * @param peakQueueSize most calls waiting at once
 * @param activeProcesses processes running (or workers busy) now
 * @param queuedTasks calls waiting now
 * @param maxConcurrency the concurrency limit
 * @param queueCapacity the queue bound
 * @param utilizationPercent {@code activeProcesses × 100 / maxConcurrency}
 */
public record ProcessPoolStats(
    String name,
    long totalProcessed,
    long totalQueued,
    long totalErrors,
    long totalRejected,
    long totalTimedOut,
    int peakActive,
    int peakQueueSize,
    int activeProcesses,
    int queuedTasks,
    int maxConcurrency,
    int queueCapacity,
    double utilizationPercent) {}
