package dev.plimsoll;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The job engine: admits jobs into a {@link dev.plimsoll.spi.JobStore}, runs them on a fixed set of
 * workers, retries, dead-letters, times out, purges and reports, within stated bounds.
 *
 * <pre>{@code
 * try (JobEngine engine = JobEngine.builder()
 *     .handler("email", ctx -> { send(ctx.payload()); return null; })
 *     .start()) {
 *   JobId id = engine.submit(JobRequest.of("email", bytes));
 * }
 * }</pre>
 *
 * <p>Every method is thread-safe. {@link #close()} is idempotent and leaves no engine thread
 * running.
 */
public interface JobEngine extends AutoCloseable {

  static EngineBuilder builder() {
    return new EngineBuilder();
  }

  /** Starts workers and the scheduler. Jobs submitted before start wait in the store. */
  JobEngine start();

  /**
   * Validates and stores a job.
   *
   * @throws InvalidJobException a field is missing or outside its limit
   * @throws QueueFullException the queue is full and its policy refused the job
   * @throws EngineClosedException the engine is shutting down
   * @throws StoreUnavailableException the store could not record the job; it was not accepted
   */
  JobId submit(JobRequest request);

  /**
   * Submits several jobs atomically: all are accepted or none. An invalid request is named by its
   * place: {@link InvalidJobException#field()} is {@code requests[i].field}.
   */
  List<JobId> submitAll(List<JobRequest> requests);

  /**
   * A future completed when the job ends (SUCCEEDED, DEAD or CANCELLED, including cancellation at
   * shutdown with reason {@code shutdown}). Futures are held in a bounded map until then.
   *
   * @throws CapacityExceededException too many futures are already waiting
   */
  CompletableFuture<JobOutcome> completion(JobId id);

  Optional<Job> get(JobId id);

  /** Jobs matching the query, newest first. */
  JobPage list(JobQuery query);

  /**
   * Cancels a pending job, or interrupts a running one (it ends CANCELLED).
   *
   * @return false if no such job or it had already finished
   */
  boolean cancel(JobId id);

  /** Moves a dead job back to the queue with fresh attempts; false if it is not dead. */
  boolean requeueDead(JobId id);

  /** Deletes one dead job; false if it is not dead. */
  boolean deleteDead(JobId id);

  /** Deletes every dead job; returns how many. */
  long purgeDead();

  /**
   * Opens a scope for transient tasks owned by something with a lifetime (a connection, a request).
   * Closing it cancels what is queued or running in it.
   *
   * @throws CapacityExceededException too many scopes are open
   */
  Scope openScope(String name);

  /** The scopes open now with their task counts. */
  List<ScopeInfo> scopes();

  /**
   * Creates a bounded buffer whose counters are exported with the engine's stats and meters. It is
   * unregistered when closed.
   */
  <T> BoundedBuffer<T> newBuffer(String name, BoundedBuffer.Config config);

  /**
   * The entry point for workers outside this JVM (the job server's HTTP remote workers) to claim
   * and run jobs of types that have no handler here (accepted with {@link
   * EngineBuilder#acceptTypesWithoutHandler}). Their leases are the engine's, for every store, and
   * expire through the scheduler; their attempts count in the totals of {@link #stats()} and in
   * {@link EngineStats#remoteLeases()}, not in {@link EngineStats#running()}.
   */
  RemoteWorkers remoteWorkers();

  EngineStats stats();

  Health health();

  /** Adds a listener; its exceptions are caught, counted and logged, never thrown at a worker. */
  void addListener(JobListener listener);

  /**
   * Stops admitting work and shuts down: see {@link ShutdownMode}. Running work gets {@code grace},
   * then is interrupted. Returns when no engine thread runs (or none that ignores interruption
   * beyond a further bounded wait, which is logged and counted as stuck).
   */
  void shutdown(ShutdownMode mode, Duration grace);

  /** {@link #shutdown} with the configured mode and grace period. Idempotent. */
  @Override
  void close();
}
