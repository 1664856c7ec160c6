package dev.plimsoll;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs jobs on workers outside this JVM: the job server's HTTP remote workers, in any language.
 * Obtained from {@link JobEngine#remoteWorkers()}.
 *
 * <p>A remote worker claims jobs of types that have no handler in this engine. Each claimed job is
 * RUNNING under a lease of the engine's lease length; the worker renews it with {@link #heartbeat}
 * and ends the attempt with {@link #succeed} or {@link #fail}, each carrying the lease's fencing
 * token. A lease that is not renewed in time expires: the job returns to its queue with the attempt
 * counted (or goes DEAD when attempts are exhausted). A call with a stale token (the lease expired
 * and the job was claimed again) changes nothing and is counted. Retries, backoff, dead-lettering,
 * breakers, stats and listeners apply exactly as for local handlers.
 *
 * <p>Bounds: a claim takes at most {@link #MAX_CLAIM} jobs and waits at most {@link #MAX_WAIT}; at
 * most {@link EngineBuilder#maxParkedClaims} claims wait at once and at most {@link
 * EngineBuilder#maxRemoteLeases} jobs are held by remote workers at once (beyond either, a claim
 * fails with {@link CapacityExceededException}). Leases are kept by the engine for every store (the
 * in-memory one included) and expire through its one scheduler thread; stores with leases of their
 * own have them renewed by each heartbeat.
 *
 * <p>An attempt also ends at its job's timeout, heartbeats or not: it fails as "timed out" like a
 * local one. A job whose cancellation is requested while a remote worker holds it answers the next
 * heartbeat with {@link LeaseStatus#CANCEL_REQUESTED}; the next report (or the lease's expiry) ends
 * it CANCELLED. At shutdown, waiting claims complete with an empty list; running remote attempts
 * get the grace period to report, then a store that is not durable ends them CANCELLED with reason
 * {@code shutdown}, while a durable store keeps them RUNNING for its lease expiry or orphan
 * recovery. In a {@code DRAIN} shutdown claims are still taken while the engine drains.
 *
 * <p>Every method is thread-safe and none blocks on other remote calls.
 */
public interface RemoteWorkers {
  int MAX_CLAIM = 100;
  Duration MAX_WAIT = Duration.ofSeconds(60);

  /**
   * Claims up to {@code claim.max()} QUEUED jobs of {@code claim.types()}. The future completes
   * with the claimed jobs as soon as at least one is claimed, or with an empty list once {@code
   * claim.maxWait()} has passed (long-poll); it never holds a thread while it waits. A claim that
   * had to wait completes on an engine thread (the scheduler, or the closing thread at shutdown):
   * dependent stages must be short and non-blocking, or run with an {@code *Async} method on an
   * executor of the caller's. If the caller cancels the future, its place is freed and jobs claimed
   * for it go back to the queue.
   *
   * @throws InvalidJobException a field of the claim is outside its limit, or a type has a handler
   *     in this engine (local and remote workers never share a type)
   * @throws CapacityExceededException too many claims are already waiting, or remote workers hold
   *     {@code maxRemoteLeases} jobs already
   * @throws EngineClosedException the engine is not running, or is shutting down
   * @throws StoreUnavailableException the store could not be asked for jobs
   */
  CompletableFuture<List<RemoteLease>> claim(RemoteClaim claim);

  /**
   * Renews the lease of a claimed attempt for the engine's lease length; see {@link LeaseStatus}. A
   * stale token, or a lease that has already run out, answers {@link LeaseStatus#LOST} and is
   * counted ({@link EngineStats#staleRemoteReports()}).
   *
   * @throws StoreUnavailableException the store could not renew its lease; try again
   */
  LeaseStatus heartbeat(JobId id, long token);

  /**
   * Ends the attempt as SUCCEEDED with {@code result} (capped like a handler's result).
   *
   * @return false if the token is stale or the job is not running under it; nothing changed
   */
  boolean succeed(JobId id, long token, byte[] result);

  /**
   * Ends the attempt as failed with {@code error} (capped): the job is retried with backoff while
   * attempts are left and {@code retryable}, otherwise it goes DEAD.
   *
   * @return false if the token is stale or the job is not running under it; nothing changed
   */
  boolean fail(JobId id, long token, String error, boolean retryable);

  /** How many remote leases are held now (for stats and leak tests). */
  int activeLeases();
}
