package dev.plimsoll.internal.engine;

import static dev.plimsoll.internal.engine.RemoteWork.CANCELLED;
import static dev.plimsoll.internal.engine.RemoteWork.LEASE_EXPIRED;
import static dev.plimsoll.internal.engine.RemoteWork.RATE_LOG;
import static dev.plimsoll.internal.engine.RemoteWork.storeFailure;

import dev.plimsoll.InvalidJobException;
import dev.plimsoll.JobId;
import dev.plimsoll.LeaseStatus;
import dev.plimsoll.PlimsollException;
import dev.plimsoll.internal.engine.RemoteLeases.End;
import dev.plimsoll.internal.engine.RemoteLeases.Lease;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.HeartbeatResult;
import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.LeaseRenewal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * How remote attempts end: heartbeats, the workers' reports (success, failure) and the scheduler's
 * expiry of leases not renewed in time or past their job's timeout, each recorded through a fenced
 * store completion.
 *
 * <p>Threads: {@link #heartbeat}, {@link #succeed} and {@link #fail} run on callers' threads, any
 * number at once; {@link #expireDue} only on the scheduler thread, which alone uses {@code
 * storeRetryAtNanos}. No lock of its own and none is held across a store call: exactly one party
 * ends a lease, whoever wins {@link Lease#end} (or {@link Lease#endIfDue}) under the lease's
 * monitor; if the store then fails, the lease is reopened and held again.
 */
final class RemoteReports {
  private static final long STORE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final EngineSettings settings;
  private final JobStore store;
  private final Gates gates;
  private final Attempts attempts;
  private final RemoteLeases leases;
  private final long leaseMillis;
  private long storeRetryAtNanos;

  RemoteReports(EngineSettings settings, Gates gates, Attempts attempts, RemoteLeases leases) {
    this.settings = settings;
    this.store = settings.store();
    this.gates = gates;
    this.attempts = attempts;
    this.leases = leases;
    this.leaseMillis = settings.lease().toMillis();
    this.storeRetryAtNanos = System.nanoTime(); // nanoTime has an arbitrary origin
  }

  /** See {@link dev.plimsoll.RemoteWorkers#heartbeat}. */
  LeaseStatus heartbeat(JobId id, long token) {
    Lease l = held(id, token, "heartbeat");
    if (l == null) {
      return LeaseStatus.LOST;
    }
    long now = settings.clock().millis();
    if (!l.renew(now, now + leaseMillis)) {
      expireIfDue(l, now);
      return stale(id, token, "heartbeat");
    }
    HeartbeatResult r;
    try {
      r =
          store.heartbeat(
              List.of(new LeaseRenewal(id, token)), Instant.ofEpochMilli(now + leaseMillis));
    } catch (RuntimeException e) {
      throw storeFailure("renewing a remote lease", e);
    }
    if (r.lost().contains(id)) {
      if (l.end(End.LOST)) {
        l.exitGate(gates, null, now);
        leases.remove(l);
        RATE_LOG.warn(
            "remote-lost",
            "the store no longer holds job {} for remote worker '{}' (its store lease was lost)",
            id,
            l.workerId);
      }
      return stale(id, token, "heartbeat");
    }
    if (r.cancelRequested().contains(id)) {
      l.requestCancel();
    }
    return l.cancelRequested() ? LeaseStatus.CANCEL_REQUESTED : LeaseStatus.RENEWED;
  }

  /** See {@link dev.plimsoll.RemoteWorkers#succeed}. */
  boolean succeed(JobId id, long token, byte[] result) {
    return report(
        id,
        token,
        "success",
        Boolean.TRUE,
        (l, at) ->
            Completion.succeeded(
                id, token, Texts.capResult(result, settings.maxResultBytes()), at));
  }

  /** See {@link dev.plimsoll.RemoteWorkers#fail}. */
  boolean fail(JobId id, long token, String error, boolean retryable) {
    String text = error == null || error.isEmpty() ? "remote worker reported a failure" : error;
    return report(
        id,
        token,
        "failure",
        Boolean.FALSE,
        (l, at) ->
            attempts.afterFailure(
                l.job, token, Texts.capError(text, settings.maxErrorChars()), retryable, at));
  }

  /**
   * Ends the attempt for a worker's report with the completion {@code decide} makes, or CANCELLED
   * if a cancel was requested meanwhile. False (counted stale) if the lease is not held.
   */
  private boolean report(
      JobId id,
      long token,
      String what,
      Boolean outcome,
      BiFunction<Lease, Instant, Completion> decide) {
    Lease l = reportable(id, token, what);
    if (l == null) {
      return false;
    }
    long now = settings.clock().millis();
    Instant at = Instant.ofEpochMilli(now);
    if (l.cancelRequested()) {
      return finish(l, Completion.cancelled(id, token, CANCELLED, at), now, null, End.REPORTED);
    }
    return finish(l, decide.apply(l, at), now, outcome, End.REPORTED);
  }

  /** The lease of {@code id} if it is held under {@code token}; else counts a stale call. */
  private Lease held(JobId id, long token, String what) {
    if (id == null) {
      throw new InvalidJobException("id", "must not be null");
    }
    Lease l = leases.get(id);
    if (l == null || l.token != token) {
      stale(id, token, what);
      return null;
    }
    return l;
  }

  /** Ends the lease for a report; null (counted stale) if it is not held or already over. */
  private Lease reportable(JobId id, long token, String what) {
    Lease l = held(id, token, what);
    if (l == null) {
      return null;
    }
    if (expireIfDue(l, settings.clock().millis()) || !l.end(End.REPORTED)) {
      stale(id, token, what); // too late (the lease ran out before this report) or already over
      return null;
    }
    return l;
  }

  private LeaseStatus stale(JobId id, long token, String what) {
    leases.stale.increment();
    RATE_LOG.warn(
        "remote-stale",
        "stale remote {} for job {} (token {}): not running under that token, ignored",
        what,
        id,
        token);
    return LeaseStatus.LOST;
  }

  /** Ends and records {@code l} if it ran out at {@code now}; whether it did. */
  private boolean expireIfDue(Lease l, long now) {
    End due = l.endIfDue(now);
    if (due == null) {
      return false;
    }
    endedByScheduler(l, due, now);
    return true;
  }

  /**
   * The scheduler's part: records the leases due at {@code now}. If the store fails, the rest are
   * held again and retried in a second, not in a busy loop.
   */
  void expireDue(long now) {
    if (System.nanoTime() - storeRetryAtNanos < 0) {
      return;
    }
    List<Lease> due = leases.due(now);
    for (int i = 0; i < due.size(); i++) {
      if (!endedByScheduler(due.get(i), due.get(i).endedWhy(), now)) {
        for (int j = i + 1; j < due.size(); j++) {
          leases.reopen(due.get(j));
        }
        storeRetryAtNanos = System.nanoTime() + STORE_RETRY_NANOS;
        return;
      }
    }
  }

  /** Records a lease that ran out (or was cancelled meanwhile); false if the store failed. */
  private boolean endedByScheduler(Lease l, End why, long now) {
    Instant at = Instant.ofEpochMilli(now);
    Completion c;
    Boolean outcome = Boolean.FALSE;
    if (why == End.CANCELLED) {
      c = Completion.cancelled(l.job.id(), l.token, CANCELLED, at);
      outcome = null;
    } else if (why == End.TIMED_OUT) {
      String error = "timed out after " + l.job.timeout().toMillis() + " ms";
      c = attempts.afterFailure(l.job, l.token, error, true, at);
    } else {
      String error =
          LEASE_EXPIRED
              + ": remote worker '"
              + l.workerId
              + "' sent no heartbeat within "
              + leaseMillis
              + " ms";
      c = attempts.afterFailure(l.job, l.token, error, true, at);
    }
    try {
      finish(l, c, now, outcome, why);
      return true;
    } catch (PlimsollException e) {
      RATE_LOG.warn("remote-expire-store", "{}; will retry", e.getMessage());
      return false;
    }
  }

  /**
   * Records the end of a remote attempt through a fenced store completion, then tells the gate,
   * counters, waiters and listeners. If the store fails, the lease is held again (it will be
   * reported or expire) and the failure is thrown.
   *
   * @param outcome for the breaker: true success, false failure, null neither
   * @param why how the attempt ended: {@code REPORTED} by the worker, or by the scheduler
   * @return whether the store applied it (false: fenced, counted as stale)
   */
  private boolean finish(Lease l, Completion c, long now, Boolean outcome, End why) {
    boolean applied;
    try {
      applied = store.complete(List.of(c))[0];
    } catch (RuntimeException e) {
      leases.reopen(l);
      throw storeFailure("recording a remote outcome", e);
    }
    leases.remove(l);
    l.exitGate(gates, applied ? outcome : null, now);
    if (!applied) {
      leases.counts.increment(WorkerCounts.FENCED);
      leases.stale.increment();
      RATE_LOG.warn(
          "remote-fenced",
          "remote outcome of job {} was refused by the store (lease lost or job changed)",
          l.job.id());
      return false;
    }
    leases.counts.increment(WorkerCounts.PROCESSED);
    boolean failed = Boolean.FALSE.equals(outcome);
    if (failed) {
      leases.counts.increment(WorkerCounts.ERRORS);
    }
    boolean expired = why == End.EXPIRED;
    leases.record(l.start - l.job.runAt().toEpochMilli(), now - l.start, failed, expired);
    if (why == End.TIMED_OUT) {
      leases.counts.increment(WorkerCounts.TIMED_OUT);
    } else if (expired) {
      leases.expired.increment();
      RATE_LOG.warn(
          "remote-expired",
          "lease of job {} held by remote worker '{}' expired; the attempt failed",
          l.job.id(),
          l.workerId);
    }
    attempts.announce(leases.counts, l.job, c);
    return true;
  }
}
