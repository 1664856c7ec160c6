package dev.plimsoll.internal.engine;

import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineBuilder;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.HealthRules;
import dev.plimsoll.InvalidJobException;
import dev.plimsoll.JobEvent;
import dev.plimsoll.JobId;
import dev.plimsoll.LeaseStatus;
import dev.plimsoll.PlimsollException;
import dev.plimsoll.RemoteClaim;
import dev.plimsoll.RemoteLease;
import dev.plimsoll.RemoteWorkers;
import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.internal.KeyedRateLimitedLog;
import dev.plimsoll.internal.engine.ParkedClaims.Parked;
import dev.plimsoll.internal.engine.RemoteLeases.End;
import dev.plimsoll.internal.engine.RemoteLeases.Lease;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.HeartbeatResult;
import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.LeaseRenewal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of {@link RemoteWorkers}: claims for workers outside this JVM, their leases and
 * their reports, with the local handlers' retry, backoff, dead-letter, breaker, stats and listener
 * semantics.
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
  static final int MAX_WORKER_ID_CHARS = 100;
  static final int MAX_TYPES = 100;
  static final String LEASE_EXPIRED = "lease expired";
  static final String CANCELLED = "cancelled";

  private static final Logger LOG = LoggerFactory.getLogger(RemoteWork.class);
  private static final KeyedRateLimitedLog RATE_LOG =
      new KeyedRateLimitedLog(LOG, 10, TimeUnit.SECONDS);
  private static final long STORE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final EngineSettings settings;
  private final JobStore store;
  private final Gates gates;
  private final Attempts attempts;
  private final Counters counters;
  private final Listeners listeners;
  private final Scheduler scheduler;
  private final Runnable onClaimed;
  private final long leaseMillis;
  private final long pollNanos;
  final RemoteLeases leases;
  final ParkedClaims parked;
  private volatile boolean accepting;
  private long nextPollNanos;
  private long storeRetryAtNanos;

  private record Taken(ClaimedJob claimed, TypeGate gate, int gen) {}

  RemoteWork(
      EngineSettings settings,
      Gates gates,
      Attempts attempts,
      Counters counters,
      Listeners listeners,
      Scheduler scheduler,
      Runnable onClaimed) {
    this.settings = settings;
    this.store = settings.store();
    this.gates = gates;
    this.attempts = attempts;
    this.counters = counters;
    this.listeners = listeners;
    this.scheduler = scheduler;
    this.onClaimed = onClaimed;
    this.leaseMillis = settings.lease().toMillis();
    this.pollNanos = settings.pollInterval().toNanos();
    this.leases = new RemoteLeases(settings.maxRemoteLeases());
    this.parked = new ParkedClaims(settings.maxParkedClaims(), scheduler::wake);
  }

  /** The engine started: claims are taken from now on. */
  void open() {
    accepting = true;
  }

  // ------------------------------------------------------------------ claims

  @Override
  public CompletableFuture<List<RemoteLease>> claim(RemoteClaim claim) {
    validate(claim);
    if (!accepting) {
      throw new EngineClosedException("engine is not running and takes no remote claims");
    }
    long now = settings.clock().millis();
    int slots = leases.reserve(claim.max());
    if (slots == 0) {
      throw new CapacityExceededException("remote leases (maxRemoteLeases)", leases.max());
    }
    List<RemoteLease> got = take(claim.workerId(), claim.types(), slots, now);
    if (!got.isEmpty()) {
      started(got);
      return CompletableFuture.completedFuture(got);
    }
    if (claim.maxWait().isZero()) {
      return CompletableFuture.completedFuture(List.of());
    }
    long deadline = now + Math.max(1, claim.maxWait().toMillis());
    Parked p = parked.park(claim.workerId(), claim.types(), claim.max(), deadline);
    scheduler.dueAt(deadline);
    return p.future;
  }

  private void validate(RemoteClaim c) {
    if (c == null) {
      throw new InvalidJobException("claim", "must not be null");
    }
    String w = c.workerId();
    if (w == null || w.isEmpty() || w.length() > MAX_WORKER_ID_CHARS || hasControl(w)) {
      throw new InvalidJobException(
          "workerId",
          "must be 1 to "
              + MAX_WORKER_ID_CHARS
              + " printable characters, got "
              + (w == null ? "null" : w.length() + " characters"));
    }
    Set<String> types = c.types();
    if (types == null || types.isEmpty() || types.size() > MAX_TYPES) {
      throw new InvalidJobException(
          "types",
          "must name 1 to "
              + MAX_TYPES
              + " job types, got "
              + (types == null ? "none" : String.valueOf(types.size())));
    }
    for (String t : types) {
      if (!EngineBuilder.NAME.matcher(t).matches()) {
        throw new InvalidJobException(
            "types", "'" + shorten(t) + "' must match " + EngineBuilder.NAME.pattern());
      }
      if (settings.handlers().containsKey(t)) {
        throw new InvalidJobException(
            "types",
            "'"
                + t
                + "' has a handler in this engine; remote workers claim only types without one");
      }
    }
    if (c.max() < 1 || c.max() > MAX_CLAIM) {
      throw new InvalidJobException(
          "max", "must be between 1 and " + MAX_CLAIM + ", got " + c.max());
    }
    Duration d = c.maxWait();
    if (d == null || d.isNegative() || d.compareTo(MAX_WAIT) > 0) {
      throw new InvalidJobException(
          "maxWait", "must be between 0 and " + MAX_WAIT.toSeconds() + " s, got " + d);
    }
  }

  /**
   * Claims up to {@code slots} jobs (slots already reserved in the lease table; those not used are
   * given back) and registers their leases. Types with a limit or a breaker that is not closed are
   * claimed one job at a time through their gate, like the local workers do.
   */
  private List<RemoteLease> take(String workerId, Set<String> types, int slots, long now) {
    List<Taken> taken = new ArrayList<>();
    try {
      Set<String> open = new HashSet<>();
      List<TypeGate> limited = new ArrayList<>();
      for (String t : types) {
        TypeGate g = gates.remoteIfPresent(t);
        if (g == null || g.unrestricted()) {
          open.add(t);
        } else {
          limited.add(g);
        }
      }
      if (!open.isEmpty()) {
        for (ClaimedJob j : store.claim(request(slots, open, now))) {
          TypeGate g = gates.remote(j.job().type());
          int gen = g == null ? 0 : g.enter(now);
          if (gen < 0) {
            release(j, now); // its breaker opened meanwhile: the job waits
          } else {
            taken.add(new Taken(j, g, gen));
          }
        }
      }
      for (TypeGate g : limited) {
        while (taken.size() < slots) {
          int gen = g.enter(now);
          if (gen < 0) {
            break;
          }
          List<ClaimedJob> one;
          try {
            one = store.claim(request(1, Set.of(g.type), now));
          } catch (RuntimeException e) {
            gates.exited(g, gen, null, now);
            throw e;
          }
          if (one.isEmpty()) {
            gates.exited(g, gen, null, now);
            break;
          }
          taken.add(new Taken(one.get(0), g, gen));
        }
      }
    } catch (RuntimeException e) {
      if (taken.isEmpty()) {
        leases.unreserve(slots);
        throw storeFailure("claiming jobs for a remote worker", e);
      }
      RATE_LOG.warn(
          "remote-claim-partial",
          "claiming for remote worker '{}' failed after {} jobs; handing those out: {}",
          workerId,
          taken.size(),
          e.toString());
    }
    leases.unreserve(slots - taken.size());
    if (taken.isEmpty()) {
      return List.of();
    }
    counters.pending(-taken.size());
    onClaimed.run();
    List<RemoteLease> out = new ArrayList<>(taken.size());
    long due = Long.MAX_VALUE;
    for (Taken t : taken) {
      ClaimedJob c = t.claimed();
      Lease l = new Lease(c.job(), c.token(), workerId, t.gate(), t.gen(), now, leaseMillis);
      due = Math.min(due, leases.add(l));
      out.add(new RemoteLease(c.job(), c.token(), Instant.ofEpochMilli(l.leaseEnd())));
    }
    scheduler.dueAt(due);
    return List.copyOf(out);
  }

  private ClaimRequest request(int max, Set<String> types, long now) {
    return new ClaimRequest(
        max, types, settings.nodeId(), Instant.ofEpochMilli(now), settings.lease());
  }

  /** Gives a claimed job back to its queue, the attempt uncounted (it never started). */
  private void release(ClaimedJob j, long now) {
    try {
      store.complete(
          List.of(Completion.released(j.job().id(), j.token(), Instant.ofEpochMilli(now))));
    } catch (RuntimeException e) {
      RATE_LOG.warn(
          "remote-release",
          "giving back job {} failed ({}); the store's lease returns it to the queue",
          j.job().id(),
          e.toString());
    }
  }

  private void started(List<RemoteLease> got) {
    for (RemoteLease l : got) {
      listeners.fire(
          JobEvent.Kind.STARTED,
          l.job().id(),
          l.job().type(),
          l.job().queue(),
          l.job().attempts(),
          null);
    }
  }

  /**
   * Hands claimed jobs to a parked claim, or back to the queue if its caller gave up. STARTED is
   * told before the worker gets the jobs (as a local handler's is before it runs); only a caller
   * cancelling in that instant sees a STARTED job go back to the queue.
   */
  private void deliver(Parked p, List<RemoteLease> got) {
    if (!p.future.isDone()) {
      started(got);
      if (p.future.complete(got)) {
        return;
      }
    }
    long now = settings.clock().millis();
    for (RemoteLease rl : got) {
      Lease l = leases.get(rl.job().id());
      if (l != null && l.token == rl.token() && l.end(End.REPORTED)) {
        release(new ClaimedJob(l.job, l.token, rl.leaseUntil()), now);
        exitGate(l, null, now);
        leases.remove(l);
        counters.pending(1);
      }
    }
  }

  /** Work may be claimable: serve parked claims soon. */
  void signal() {
    parked.signal();
  }

  // ------------------------------------------------------------------ reports

  @Override
  public LeaseStatus heartbeat(JobId id, long token) {
    Lease l = held(id, token, "heartbeat");
    if (l == null) {
      return LeaseStatus.LOST;
    }
    long now = settings.clock().millis();
    if (!l.renew(now, now + leaseMillis)) {
      End due = l.endIfDue(now);
      if (due != null) {
        endedByScheduler(l, due, now);
      }
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
        exitGate(l, null, now);
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

  @Override
  public boolean succeed(JobId id, long token, byte[] result) {
    Lease l = reportable(id, token, "success");
    if (l == null) {
      return false;
    }
    long now = settings.clock().millis();
    Instant at = Instant.ofEpochMilli(now);
    if (l.cancelRequested()) {
      return finish(l, Completion.cancelled(id, token, CANCELLED, at), now, null, false);
    }
    byte[] capped = Texts.capResult(result, settings.maxResultBytes());
    return finish(l, Completion.succeeded(id, token, capped, at), now, Boolean.TRUE, false);
  }

  @Override
  public boolean fail(JobId id, long token, String error, boolean retryable) {
    Lease l = reportable(id, token, "failure");
    if (l == null) {
      return false;
    }
    long now = settings.clock().millis();
    Instant at = Instant.ofEpochMilli(now);
    if (l.cancelRequested()) {
      return finish(l, Completion.cancelled(id, token, CANCELLED, at), now, null, false);
    }
    String text = error == null || error.isEmpty() ? "remote worker reported a failure" : error;
    String capped = Texts.capError(text, settings.maxErrorChars());
    return finish(
        l, attempts.afterFailure(l.job, token, capped, retryable, at), now, Boolean.FALSE, false);
  }

  @Override
  public int activeLeases() {
    return leases.size();
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
    long now = settings.clock().millis();
    End due = l.endIfDue(now);
    if (due != null) {
      endedByScheduler(l, due, now); // too late: the lease ran out before this report
      stale(id, token, what);
      return null;
    }
    if (!l.end(End.REPORTED)) {
      stale(id, token, what);
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

  /**
   * Records the end of a remote attempt through a fenced store completion, then tells the gate,
   * counters, waiters and listeners. If the store fails, the lease is held again (it will be
   * reported or expire) and the failure is thrown.
   *
   * @param outcome for the breaker: true success, false failure, null neither
   */
  private boolean finish(Lease l, Completion c, long now, Boolean outcome, boolean expired) {
    boolean applied;
    try {
      applied = store.complete(List.of(c))[0];
    } catch (RuntimeException e) {
      leases.reopen(l);
      throw storeFailure("recording a remote outcome", e);
    }
    boolean wasFull = leases.size() >= leases.max();
    leases.remove(l);
    exitGate(l, applied ? outcome : null, now);
    if (wasFull) {
      parked.signal();
    }
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
    leases.record(l.start - l.job.runAt().toEpochMilli(), now - l.start, failed, expired);
    attempts.announce(leases.counts, l.job, c);
    return true;
  }

  private void exitGate(Lease l, Boolean outcome, long now) {
    if (l.gate != null) {
      gates.exited(l.gate, l.gen, outcome, now);
    }
  }

  // ------------------------------------------------------------------ the scheduler's part

  /**
   * One scheduler pass: expire due leases, complete parked claims at their deadline, serve parked
   * claims if signalled (or the poll interval passed). Returns when it is next due.
   */
  long tick(long now) {
    if (System.nanoTime() - storeRetryAtNanos >= 0) {
      for (Lease l : leases.due(now)) {
        if (!endedByScheduler(l, l.endedWhy(), now)) {
          storeRetryAtNanos = System.nanoTime() + STORE_RETRY_NANOS;
          break;
        }
      }
    }
    for (Parked p : parked.takeExpired(now)) {
      p.future.complete(List.of());
    }
    boolean poll = parked.size() > 0 && System.nanoTime() - nextPollNanos >= 0;
    if (parked.takeServeRequest() || poll) {
      nextPollNanos = System.nanoTime() + pollNanos;
      serve(now);
    }
    return Math.min(leases.nextDue(), parked.nextDeadline());
  }

  /** Serves parked claims oldest first; skips claims whose types all just came back empty. */
  private void serve(long now) {
    Set<String> empty = new HashSet<>();
    for (Parked p : parked.snapshot()) {
      if (p.future.isDone()) {
        parked.remove(p);
        continue;
      }
      if (empty.containsAll(p.types)) {
        continue;
      }
      int slots = leases.reserve(p.max);
      if (slots == 0) {
        return; // the lease table is full; a lease ending signals again
      }
      List<RemoteLease> got;
      try {
        got = take(p.workerId, p.types, slots, now);
      } catch (RuntimeException e) {
        RATE_LOG.warn(
            "remote-serve", "serving parked remote claims failed, will retry: {}", e.toString());
        return;
      }
      if (got.isEmpty()) {
        empty.addAll(p.types);
        continue;
      }
      parked.remove(p);
      deliver(p, got);
    }
  }

  /** Records a lease that ran out (or was cancelled meanwhile); false if the store failed. */
  private boolean endedByScheduler(Lease l, End why, long now) {
    Instant at = Instant.ofEpochMilli(now);
    JobId id = l.job.id();
    Completion c;
    Boolean outcome = Boolean.FALSE;
    boolean expired = false;
    if (why == End.CANCELLED) {
      c = Completion.cancelled(id, l.token, CANCELLED, at);
      outcome = null;
    } else if (why == End.TIMED_OUT) {
      leases.counts.increment(WorkerCounts.TIMED_OUT);
      String error = "timed out after " + l.job.timeout().toMillis() + " ms";
      c = attempts.afterFailure(l.job, l.token, error, true, at);
    } else {
      expired = true;
      leases.expired.increment();
      String error =
          LEASE_EXPIRED
              + ": remote worker '"
              + l.workerId
              + "' sent no heartbeat within "
              + leaseMillis
              + " ms";
      c = attempts.afterFailure(l.job, l.token, error, true, at);
      RATE_LOG.warn(
          "remote-expired",
          "lease of job {} held by remote worker '{}' expired; the attempt failed",
          id,
          l.workerId);
    }
    try {
      finish(l, c, now, outcome, expired);
      return true;
    } catch (PlimsollException e) {
      RATE_LOG.warn("remote-expire-store", "{}; will retry", e.getMessage());
      return false;
    }
  }

  // ------------------------------------------------------------------ engine lifecycle

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
    accepting = false;
    for (Parked p : parked.takeAll()) {
      p.future.complete(List.of());
    }
  }

  /**
   * Shutdown, last step: drops every lease. With a store that is not durable their jobs end
   * CANCELLED with reason {@code shutdown}; a durable store keeps them RUNNING for its lease expiry
   * or orphan recovery.
   */
  void endLeases(boolean durable) {
    List<Lease> held = leases.drain();
    if (held.isEmpty()) {
      return;
    }
    long now = settings.clock().millis();
    if (durable) {
      for (Lease l : held) {
        exitGate(l, null, now);
      }
      LOG.info(
          "left {} jobs of remote workers RUNNING in the store: their store lease expires and"
              + " orphan recovery returns them to the queue",
          held.size());
      return;
    }
    List<Completion> cs = new ArrayList<>(held.size());
    for (Lease l : held) {
      cs.add(
          Completion.cancelled(l.job.id(), l.token, Attempts.SHUTDOWN, Instant.ofEpochMilli(now)));
    }
    boolean[] applied;
    try {
      applied = store.complete(cs);
    } catch (RuntimeException e) {
      LOG.warn("cancelling {} remote jobs at shutdown failed: {}", held.size(), e.toString());
      return;
    }
    for (int i = 0; i < held.size(); i++) {
      Lease l = held.get(i);
      exitGate(l, null, now);
      if (applied[i]) {
        leases.counts.increment(WorkerCounts.PROCESSED);
        attempts.announce(leases.counts, l.job, cs.get(i));
      }
    }
    LOG.info("cancelled {} jobs of remote workers at shutdown", held.size());
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

  private static StoreUnavailableException storeFailure(String what, RuntimeException e) {
    if (e instanceof StoreUnavailableException s) {
      return s;
    }
    if (e instanceof PlimsollException p) {
      throw p;
    }
    return new StoreUnavailableException(what + " failed: " + e, e);
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static String shorten(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
