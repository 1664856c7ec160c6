package dev.plimsoll;

/**
 * Told of every job lifecycle event, on the thread that caused it (a worker, the scheduler or a
 * submitter): keep it fast. Exceptions are caught, counted ({@link EngineStats#listenerErrors()})
 * and logged at a bounded rate; they never hurt a worker.
 */
@FunctionalInterface
public interface JobListener {
  void onEvent(JobEvent event);
}
