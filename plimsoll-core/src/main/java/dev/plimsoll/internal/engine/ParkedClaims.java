package dev.plimsoll.internal.engine;

import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.RemoteLease;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Remote claims waiting for jobs (long-poll), at most {@code max} of them, oldest first. A parked
 * claim holds no thread: it is a future and its deadline. The scheduler thread serves them when
 * {@link #signal} said work may be claimable, and completes each with an empty list at its
 * deadline; no timer per claim.
 *
 * <p>No lost wake-up: a claim is parked first and then served once by the scheduler ({@link #park}
 * raises the serve flag), and whoever makes work available signals after doing so and reads {@link
 * #size} then. Either the serve after parking finds the job, or the signaller sees the parked claim
 * and raises the flag.
 *
 * <p>Guarded by this object's monitor; futures are completed outside it.
 */
final class ParkedClaims {
  /** One waiting claim. */
  static final class Parked {
    final String workerId;
    final Set<String> types;
    final int max;
    final long deadline;
    final CompletableFuture<List<RemoteLease>> future = new CompletableFuture<>();

    Parked(String workerId, Set<String> types, int max, long deadline) {
      this.workerId = workerId;
      this.types = types;
      this.max = max;
      this.deadline = deadline;
    }
  }

  private final LinkedHashSet<Parked> parked = new LinkedHashSet<>();
  private final int max;
  private final Runnable wakeScheduler;
  private final AtomicBoolean servePending = new AtomicBoolean();
  private volatile int size;
  private boolean closed;

  ParkedClaims(int max, Runnable wakeScheduler) {
    this.max = max;
    this.wakeScheduler = wakeScheduler;
  }

  /**
   * Parks a claim until {@code deadline} (engine clock millis).
   *
   * @throws CapacityExceededException {@code max} claims wait already
   */
  Parked park(String workerId, Set<String> types, int n, long deadline) {
    Parked p = new Parked(workerId, types, n, deadline);
    synchronized (this) {
      if (closed) {
        throw new EngineClosedException("engine is shutting down and takes no remote claims");
      }
      if (parked.size() >= max) {
        throw new CapacityExceededException("parked remote claims (maxParkedClaims)", max);
      }
      parked.add(p);
      size = parked.size();
    }
    // A caller that gives up (cancels the future) frees its place at once.
    p.future.whenComplete((r, e) -> remove(p));
    servePending.set(true);
    wakeScheduler.run();
    return p;
  }

  /** Work may be claimable: have the scheduler serve parked claims (cheap when none wait). */
  void signal() {
    if (size > 0 && !servePending.getAndSet(true)) {
      wakeScheduler.run();
    }
  }

  /** Whether a serve was asked for since the last call (clears the request). */
  boolean takeServeRequest() {
    return servePending.getAndSet(false);
  }

  synchronized void remove(Parked p) {
    if (parked.remove(p)) {
      size = parked.size();
    }
  }

  /** The parked claims, oldest first. */
  synchronized List<Parked> snapshot() {
    return new ArrayList<>(parked);
  }

  /** Removes and returns the claims whose deadline is at or before {@code now}. */
  synchronized List<Parked> takeExpired(long now) {
    List<Parked> out = new ArrayList<>();
    for (Iterator<Parked> it = parked.iterator(); it.hasNext(); ) {
      Parked p = it.next();
      if (p.deadline <= now || p.future.isDone()) {
        it.remove();
        out.add(p);
      }
    }
    size = parked.size();
    return out;
  }

  /** The earliest deadline, or {@link Long#MAX_VALUE}. */
  synchronized long nextDeadline() {
    long t = Long.MAX_VALUE;
    for (Parked p : parked) {
      t = Math.min(t, p.deadline);
    }
    return t;
  }

  /** Removes and returns every parked claim and parks no more (shutdown). */
  synchronized List<Parked> takeAll() {
    closed = true;
    List<Parked> out = new ArrayList<>(parked);
    parked.clear();
    size = 0;
    return out;
  }

  int size() {
    return size;
  }

  int max() {
    return max;
  }
}
