package dev.plimsoll.internal.engine;

import static dev.plimsoll.internal.engine.RemoteWork.RATE_LOG;
import static dev.plimsoll.internal.engine.RemoteWork.storeFailure;

import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.JobEvent;
import dev.plimsoll.RemoteClaim;
import dev.plimsoll.RemoteLease;
import dev.plimsoll.internal.engine.ParkedClaims.Parked;
import dev.plimsoll.internal.engine.RemoteLeases.End;
import dev.plimsoll.internal.engine.RemoteLeases.Lease;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.JobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Remote claims: taking jobs from the store into leases, parking claims that found none, and
 * serving parked claims.
 *
 * <p>Threads: {@link #claim} runs on callers' threads, any number at once; {@link #tick} (serving
 * and deadlines) only on the scheduler thread; {@link #close} on the closing thread. No lock of its
 * own: lease slots are reserved atomically in {@link RemoteLeases} before the store is asked, the
 * parked set is guarded by {@link ParkedClaims}' monitor, {@code nextPollNanos} is the scheduler
 * thread's alone, and futures are completed outside any lock.
 */
final class RemoteClaims {
  private final EngineSettings settings;
  private final JobStore store;
  private final Gates gates;
  private final Counters counters;
  private final Listeners listeners;
  private final Scheduler scheduler;
  private final Runnable onClaimed;
  private final RemoteLeases leases;
  private final ParkedClaims parked;
  private final long leaseMillis;
  private final long pollNanos;
  private volatile boolean accepting;
  private long nextPollNanos;

  private record Taken(ClaimedJob claimed, TypeGate gate, int gen) {}

  RemoteClaims(
      EngineSettings settings,
      Gates gates,
      Counters counters,
      Listeners listeners,
      Scheduler scheduler,
      Runnable onClaimed,
      RemoteLeases leases,
      ParkedClaims parked) {
    this.settings = settings;
    this.store = settings.store();
    this.gates = gates;
    this.counters = counters;
    this.listeners = listeners;
    this.scheduler = scheduler;
    this.onClaimed = onClaimed;
    this.leases = leases;
    this.parked = parked;
    this.leaseMillis = settings.lease().toMillis();
    this.pollNanos = settings.pollInterval().toNanos();
    this.nextPollNanos = System.nanoTime() + pollNanos; // nanoTime has an arbitrary origin
  }

  /** The engine started: claims are taken from now on. */
  void open() {
    accepting = true;
  }

  /** Takes no more claims; every parked claim completes empty now. */
  void close() {
    accepting = false;
    completeEmpty(parked.takeAll());
  }

  /** See {@link dev.plimsoll.RemoteWorkers#claim}. */
  CompletableFuture<List<RemoteLease>> claim(RemoteClaim claim) {
    RemoteClaimCheck.validate(claim, settings.handlers().keySet());
    if (!accepting) {
      throw new EngineClosedException("engine is not running and takes no remote claims");
    }
    long now = settings.clock().millis();
    int slots = leases.reserve(claim.max());
    if (slots == 0 && leases.size() >= leases.max()) {
      throw new CapacityExceededException("remote leases (maxRemoteLeases)", leases.max());
    }
    // No slot but the table not full of leases: another claim holds the room for a moment. This
    // one then behaves as if nothing were queued (it waits, or answers empty), not as refused.
    List<RemoteLease> got =
        slots == 0 ? List.of() : take(claim.workerId(), claim.types(), slots, now);
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
          List<ClaimedJob> one = List.of();
          try {
            one = store.claim(request(1, Set.of(g.type), now));
          } finally {
            if (one.isEmpty()) {
              gates.exited(g, gen, null, now); // nothing claimed (or the store failed)
            }
          }
          if (one.isEmpty()) {
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
      Lease previous = leases.add(l);
      if (previous != null && previous.end(End.LOST)) {
        previous.exitGate(gates, null, now); // the store re-let its job: that attempt is over
      }
      due = Math.min(due, l.dueAt());
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
        l.exitGate(gates, null, now);
        leases.remove(l);
        counters.pending(1);
      }
    }
  }

  /**
   * The scheduler's part: completes parked claims empty at their deadline and serves them if
   * signalled (or the poll interval passed). Returns the next parked deadline.
   */
  long tick(long now) {
    completeEmpty(parked.takeExpired(now));
    boolean poll = parked.size() > 0 && System.nanoTime() - nextPollNanos >= 0;
    if (parked.takeServeRequest() || poll) {
      nextPollNanos = System.nanoTime() + pollNanos;
      serve(now);
    }
    return parked.nextDeadline();
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

  private static void completeEmpty(List<Parked> claims) {
    for (Parked p : claims) {
      p.future.complete(List.of());
    }
  }
}
