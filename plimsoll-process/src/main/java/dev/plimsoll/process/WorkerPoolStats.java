package dev.plimsoll.process;

/**
 * A snapshot of a {@link WorkerPool}: the task counters of incident 003 (active = busy workers) and
 * what happened to worker processes.
 *
 * @param tasks task counters; {@code totalErrors} counts every failed task
 * @param liveWorkers worker processes running now (busy or idle)
 * @param workersStarted worker processes started since the pool was created
 * @param recycledAfterTasks workers retired because they reached {@code maxTasksPerWorker}
 * @param recycledForMemory workers retired between tasks for being over {@code maxMemoryBytes}
 * @param killedForMemory workers killed during a task for being over {@code maxMemoryBytes}
 * @param crashes workers that exited (or failed to start) while holding a task
 */
public record WorkerPoolStats(
    ProcessPoolStats tasks,
    int liveWorkers,
    long workersStarted,
    long recycledAfterTasks,
    long recycledForMemory,
    long killedForMemory,
    long crashes) {}
