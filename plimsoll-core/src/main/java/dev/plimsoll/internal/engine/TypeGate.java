package dev.plimsoll.internal.engine;

import dev.plimsoll.BreakerConfig;

/**
 * Admission of attempts of one job type: its concurrency limit and its circuit breaker.
 *
 * <p>The breaker keeps the outcomes of the last {@code window} attempts in a ring. At {@code
 * minCalls} or more with a failure share at or above the threshold it opens: {@link #claimable} is
 * false until {@code openFor} has passed, so the type's jobs wait in the store and no attempts are
 * burned. Then it is half-open and admits {@code probes} attempts; the first probe outcome closes
 * it (success) or opens it again (failure). Outcomes of attempts admitted in an earlier breaker
 * generation are ignored, so a slow attempt from before the opening cannot close it.
 *
 * <p>All state is guarded by this object's monitor; each attempt takes it twice (enter, exit).
 */
final class TypeGate {
  enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  enum Change {
    NONE,
    OPENED,
    CLOSED
  }

  final String type;
  private final int limit;
  private final BreakerConfig config;
  private final boolean[] ring;
  private int size;
  private int next;
  private int failures;
  private State state = State.CLOSED;
  private long openUntil;
  private int generation;
  private int inFlight;
  private int probesAdmitted;

  TypeGate(String type, int limit, BreakerConfig config) {
    this.type = type;
    this.limit = limit;
    this.config = config;
    this.ring = new boolean[config.window()];
  }

  /** Whether a claim may include this type now (also moves OPEN to HALF_OPEN when due). */
  synchronized boolean claimable(long now) {
    if (state == State.OPEN) {
      if (now < openUntil) {
        return false;
      }
      state = State.HALF_OPEN;
      probesAdmitted = 0;
      generation++;
    }
    if (state == State.HALF_OPEN && probesAdmitted >= config.probes()) {
      return false;
    }
    return limit == 0 || inFlight < limit;
  }

  /** Whether this type never restricts a claim (no limit, breaker closed). */
  synchronized boolean unrestricted() {
    return limit == 0 && state == State.CLOSED;
  }

  /** Admits one attempt; returns its generation, or -1 if it must not start now. */
  synchronized int enter(long now) {
    if (!claimable(now)) {
      return -1;
    }
    inFlight++;
    if (state == State.HALF_OPEN) {
      probesAdmitted++;
    }
    return generation;
  }

  /**
   * Ends an attempt admitted with {@code gen}.
   *
   * @param outcome true success, false failure, null neither (cancelled, released)
   */
  synchronized Change exit(int gen, Boolean outcome, long now) {
    inFlight--;
    if (!config.enabled() || outcome == null || gen != generation) {
      return Change.NONE;
    }
    if (state == State.HALF_OPEN) {
      if (outcome) {
        state = State.CLOSED;
        resetWindow();
        generation++;
        return Change.CLOSED;
      }
      open(now);
      return Change.OPENED;
    }
    if (size == ring.length) {
      if (ring[next]) {
        failures--;
      }
    } else {
      size++;
    }
    ring[next] = !outcome;
    if (!outcome) {
      failures++;
    }
    next = (next + 1) % ring.length;
    if (size >= config.minCalls() && failures >= config.failureRate() * size) {
      open(now);
      return Change.OPENED;
    }
    return Change.NONE;
  }

  private void open(long now) {
    state = State.OPEN;
    openUntil = now + config.openFor().toMillis();
    generation++;
    resetWindow();
  }

  private void resetWindow() {
    size = 0;
    next = 0;
    failures = 0;
  }

  synchronized State state() {
    return state;
  }

  /** When an open breaker turns half-open, or {@link Long#MAX_VALUE}. */
  synchronized long reopensAt() {
    return state == State.OPEN ? openUntil : Long.MAX_VALUE;
  }
}
