package dev.plimsoll;

/**
 * Told of every job lifecycle event, on the thread that caused it (a worker, the scheduler or a
 * submitter): keep it fast. Exceptions are caught, counted ({@link EngineStats#listenerErrors()})
 * and logged at a bounded rate; they never hurt a worker.
 *
 * <p>Order: events from one thread arrive in order (a worker's STARTED before its SUCCEEDED).
 * SUBMITTED is told by the submitting thread once the store holds the job, so a fast worker's
 * STARTED for that job can arrive before it.
 */
@FunctionalInterface
public interface JobListener {
  void onEvent(JobEvent event);
}
