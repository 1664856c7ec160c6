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
 * most a configured number of claims wait at once (a further one fails with {@link
 * CapacityExceededException}); the leases held are bounded by the jobs RUNNING in the store.
 */
public interface RemoteWorkers {
  int MAX_CLAIM = 100;
  Duration MAX_WAIT = Duration.ofSeconds(60);

  /**
   * Claims up to {@code claim.max()} QUEUED jobs of {@code claim.types()}. The future completes
   * with the claimed jobs as soon as at least one is claimed, or with an empty list once {@code
   * claim.maxWait()} has passed (long-poll); it never holds a thread while it waits.
   *
   * @throws InvalidJobException a field of the claim is outside its limit, or a type has a handler
   *     in this engine (local and remote workers never share a type)
   * @throws CapacityExceededException too many claims are already waiting
   * @throws EngineClosedException the engine is shutting down
   */
  CompletableFuture<List<RemoteLease>> claim(RemoteClaim claim);

  /** Renews the lease of a claimed attempt; see {@link LeaseStatus}. */
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
