package dev.plimsoll.internal.engine;

import dev.plimsoll.HealthRules;
import dev.plimsoll.JobId;
import dev.plimsoll.LeaseStatus;
import dev.plimsoll.PlimsollException;
import dev.plimsoll.RemoteClaim;
import dev.plimsoll.RemoteLease;
import dev.plimsoll.RemoteWorkers;
import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.internal.KeyedRateLimitedLog;
import dev.plimsoll.internal.engine.RemoteLeases.Lease;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of {@link RemoteWorkers}: claims for workers outside this JVM, their leases and
 * their reports, with the local handlers' retry, backoff, dead-letter, breaker, stats and listener
 * semantics. This class is the facade the engine holds; the work is done by {@link RemoteClaims}
 * (claiming, parking, serving parked claims), {@link RemoteReports} (heartbeats, reports, expiry)
 * and {@link RemoteShutdown}, over the shared {@link RemoteLeases} and {@link ParkedClaims}.
 *
 * <p>Threads: none of its own. A claim first tries the store on the caller's thread; if nothing is
 * there it is parked in {@link ParkedClaims}, and the scheduler thread serves parked claims when
 * the dispatcher is signalled (submissions, promotions, store wake-ups, breakers half-opening,
 * requeues) or every poll interval, and completes them empty at their deadline. Futures of parked
 * claims therefore complete on the scheduler thread (or on the closing thread at shutdown): their
 * dependent stages must be short and must not block.
 *
 * <p>Leases live in {@link RemoteLeases}; the scheduler calls {@link #tick} each pass to expire
 * those not renewed in time (or past their job's timeout) through a fenced store completion, so a
 * dead worker never holds its job, whatever the store. Stores with leases of their own have them
 * renewed by every heartbeat, and their orphan recovery remains the safety net across restarts.
 */
final class RemoteWork implements RemoteWorkers {
  static final String LEASE_EXPIRED = "lease expired";
  static final String CANCELLED = "cancelled";

  /** Shared by the remote parts, so their log lines keep one category and one rate limit a key. */
  static final Logger LOG = LoggerFactory.getLogger(RemoteWork.class);

  static final KeyedRateLimitedLog RATE_LOG = new KeyedRateLimitedLog(LOG, 10, TimeUnit.SECONDS);

  final RemoteLeases leases;
  final ParkedClaims parked;
  private final RemoteClaims claims;
  private final RemoteReports reports;
  private final RemoteShutdown shutdown;

  RemoteWork(
      EngineSettings settings,
      Gates gates,
      Attempts attempts,
      Counters counters,
      Listeners listeners,
      Scheduler scheduler,
      Runnable onClaimed) {
    this.parked = new ParkedClaims(settings.maxParkedClaims(), scheduler::wake);
    this.leases = new RemoteLeases(settings.maxRemoteLeases(), parked::signal);
    this.reports = new RemoteReports(settings, gates, attempts, leases);
    this.claims =
        new RemoteClaims(
            settings, gates, counters, listeners, scheduler, onClaimed, leases, parked);
    this.shutdown = new RemoteShutdown(settings, gates, attempts, leases);
  }

  /** The engine started: claims are taken from now on. */
  void open() {
    claims.open();
  }

  // ------------------------------------------------------------------ RemoteWorkers

  @Override
  public CompletableFuture<List<RemoteLease>> claim(RemoteClaim claim) {
    return claims.claim(claim);
  }

  @Override
  public LeaseStatus heartbeat(JobId id, long token) {
    return reports.heartbeat(id, token);
  }

  @Override
  public boolean succeed(JobId id, long token, byte[] result) {
    return reports.succeed(id, token, result);
  }

  @Override
  public boolean fail(JobId id, long token, String error, boolean retryable) {
    return reports.fail(id, token, error, retryable);
  }

  @Override
  public int activeLeases() {
    return leases.size();
  }

  // ------------------------------------------------------------------ the engine's part

  /** Work may be claimable: serve parked claims soon. */
  void signal() {
    parked.signal();
  }

  /**
   * One scheduler pass: expire due leases, complete parked claims at their deadline, serve parked
   * claims if signalled (or the poll interval passed). Returns when it is next due.
   */
  long tick(long now) {
    reports.expireDue(now);
    long parkedDue = claims.tick(now); // serving may add leases: read their next due after it
    return Math.min(leases.nextDue(), parkedDue);
  }

  /** A cancel was requested for {@code id}: if a remote worker runs it, its next call learns it. */
  boolean requestCancel(JobId id) {
    Lease l = leases.get(id);
    if (l == null) {
      return false;
    }
    l.requestCancel();
    return true;
  }

  /** Shutdown, first step: take no more claims; every parked claim completes empty now. */
  void stopClaims() {
    claims.close();
  }

  /**
   * Shutdown, last step: drops every lease. With a store that is not durable their jobs end
   * CANCELLED with reason {@code shutdown}; a durable store keeps them RUNNING for its lease expiry
   * or orphan recovery.
   */
  void endLeases(boolean durable) {
    shutdown.endLeases(durable);
  }

  int parkedClaims() {
    return parked.size();
  }

  /** Health reasons of remote work: leases expiring, bounds reached. */
  List<String> healthReasons(HealthRules rules) {
    List<String> out = new ArrayList<>(0);
    int[] e = leases.recentExpiries();
    if (e[1] >= rules.minSamples() && e[0] > rules.maxFailureRate() * e[1]) {
      out.add(
          String.format(
              Locale.ROOT,
              "remote leases expiring: %d of the last %d remote attempts ended without a heartbeat",
              e[0],
              e[1]));
    }
    if (leases.size() >= leases.max()) {
      out.add("remote leases at their limit of " + leases.max() + " (maxRemoteLeases)");
    }
    if (parked.size() >= parked.max()) {
      out.add("parked remote claims at their limit of " + parked.max() + " (maxParkedClaims)");
    }
    return out;
  }

  /**
   * The exception to throw for a store failure while doing {@code what}: {@code e} itself if it is
   * a {@link StoreUnavailableException}, else wrapped in one; other {@link PlimsollException}s are
   * rethrown here as they are.
   */
  static StoreUnavailableException storeFailure(String what, RuntimeException e) {
    if (e instanceof StoreUnavailableException s) {
      return s;
    }
    if (e instanceof PlimsollException p) {
      throw p;
    }
    return new StoreUnavailableException(what + " failed: " + e, e);
  }
}
