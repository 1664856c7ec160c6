package dev.plimsoll.internal.engine;

import dev.plimsoll.JobEvent;
import dev.plimsoll.JobId;
import dev.plimsoll.internal.KeyedRateLimitedLog;
import dev.plimsoll.spi.HeartbeatResult;
import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.LeaseRenewal;
import dev.plimsoll.spi.PurgeResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one timer thread. Every delay, retry backoff, attempt timeout, stuck-worker check,
 * lease heartbeat, orphan recovery, breaker half-opening and retention purge happens here, and so
 * do remote leases' expiry and the serving and deadlines of parked remote claims ({@link
 * RemoteWork#tick}); there are no per-job timers and nothing reschedules itself recursively.
 *
 * <p>Each pass does what is due at the engine clock's "now", then computes the earliest next due
 * time and sleeps until then (at most one second of real time, and at most the poll interval when
 * other nodes may add work). {@link #wake} cuts a sleep short: callers use it when they create
 * something due sooner than the planned wake-up (a delayed job, an attempt with an early deadline)
 * and a {@link dev.plimsoll.SettableClock} calls it whenever it is moved.
 */
final class Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private static final KeyedRateLimitedLog RATE_LOG =
      new KeyedRateLimitedLog(LOG, 10, TimeUnit.SECONDS);
  private static final int PROMOTE_BATCH = 1_000;
  private static final int MAX_PURGE_BATCHES_PER_PASS = 20;

  private final EngineSettings settings;
  private final JobStore store;
  private final Counters counters;
  private final Listeners listeners;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private final Thread thread;
  private Dispatcher dispatcher;
  private Gates gates;
  private RemoteWork remote;
  private boolean woken;
  private volatile boolean stopped;
  private volatile long plannedWake = Long.MIN_VALUE;
  private long nextPurge;
  private long nextHeartbeat;
  private long nextRecovery;
  private final long maxSleepMillis;

  Scheduler(EngineSettings settings, Counters counters, Listeners listeners) {
    this.settings = settings;
    this.store = settings.store();
    this.counters = counters;
    this.listeners = listeners;
    this.maxSleepMillis =
        store.durable() ? Math.min(1_000, settings.pollInterval().toMillis()) : 1_000;
    this.thread = new Thread(this::loop, "plimsoll-scheduler");
    thread.setDaemon(true);
  }

  void bind(Dispatcher d, Gates g, RemoteWork r) {
    this.dispatcher = d;
    this.gates = g;
    this.remote = r;
  }

  void start() {
    long now = settings.clock().millis();
    nextPurge = now + settings.maintenanceInterval().toMillis();
    nextHeartbeat = now + heartbeatEvery();
    nextRecovery = now;
    thread.start();
  }

  private long heartbeatEvery() {
    return Math.max(1, settings.lease().toMillis() / 3);
  }

  /** Cut the current sleep short and run a pass now. */
  void wake() {
    lock.lock();
    try {
      woken = true;
      wakeUp.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Something becomes due at {@code millis}: wake up if that is before the planned wake-up. */
  void dueAt(long millis) {
    if (millis < plannedWake) {
      wake();
    }
  }

  private void loop() {
    while (!stopped) {
      long next;
      try {
        next = pass();
      } catch (RuntimeException e) {
        RATE_LOG.warn("scheduler-pass", "scheduler pass failed, will retry: {}", e.toString());
        next = settings.clock().millis() + maxSleepMillis;
      }
      sleepUntil(next);
    }
  }

  private void sleepUntil(long next) {
    lock.lock();
    try {
      long now = settings.clock().millis();
      long wait = Math.min(Math.max(0, next - now), maxSleepMillis);
      plannedWake = now + wait;
      long nanos = TimeUnit.MILLISECONDS.toNanos(wait);
      while (!woken && !stopped && nanos > 0) {
        nanos = wakeUp.awaitNanos(nanos);
      }
      woken = false;
      plannedWake = Long.MIN_VALUE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    } finally {
      lock.unlock();
    }
  }

  /** One pass; returns when the next pass is due. */
  private long pass() {
    long now = settings.clock().millis();
    promoteDue(now);
    long next = checkWorkers(now);
    // Remote leases expire before the store's own recovery runs, so an expired remote attempt
    // takes the engine's retry path (recovery is the safety net across restarts).
    next = Math.min(next, remote.tick(now));
    if (store.leases()) {
      if (now >= nextHeartbeat) {
        heartbeat(now);
        nextHeartbeat = now + heartbeatEvery();
      }
      if (now >= nextRecovery) {
        recover(now);
        nextRecovery = now + heartbeatEvery();
      }
      next = Math.min(next, Math.min(nextHeartbeat, nextRecovery));
    }
    if (now >= nextPurge) {
      boolean behind = purge(now);
      // A purge that hit its per-pass budget continues on the next pass (after the other duties),
      // so retention keeps up with any completion rate instead of waiting a whole interval.
      nextPurge = behind ? now : now + settings.maintenanceInterval().toMillis();
    }
    next = Math.min(next, nextPurge);
    long reopen = gates.nextReopen();
    if (reopen <= now) {
      dispatcher.signalAll();
    }
    next = Math.min(next, reopen > now ? reopen : Long.MAX_VALUE);
    Optional<Instant> due = store.nextRunAt();
    if (due.isPresent()) {
      next = Math.min(next, Math.max(now, due.get().toEpochMilli()));
    }
    return next;
  }

  private void promoteDue(long now) {
    int promoted;
    int total = 0;
    do {
      promoted = store.promoteDue(Instant.ofEpochMilli(now), PROMOTE_BATCH);
      total += promoted;
    } while (promoted == PROMOTE_BATCH && !stopped);
    if (total > 0) {
      dispatcher.signalAll();
    }
  }

  private long checkWorkers(long now) {
    long next = Long.MAX_VALUE;
    long stuckGrace = settings.stuckGrace().toMillis();
    for (WorkerSlot slot : dispatcher.slots()) {
      JobId id = slot.jobId();
      switch (slot.check(now, stuckGrace)) {
        case TIMED_OUT -> LOG.debug("attempt of job {} timed out; worker interrupted", id);
        case STUCK -> {
          RATE_LOG.warn(
              "stuck",
              "worker {} is stuck: attempt of job {} ignored interruption {} ms after its timeout",
              slot.index,
              id,
              stuckGrace);
          listeners.fire(JobEvent.Kind.STUCK, id, null, null, 0, "ignored interruption");
        }
        default -> {}
      }
      next = Math.min(next, slot.nextCheck(stuckGrace));
    }
    return next;
  }

  private void heartbeat(long now) {
    List<LeaseRenewal> running = new ArrayList<>();
    for (WorkerSlot slot : dispatcher.slots()) {
      slot.leasesInto(running);
    }
    if (running.isEmpty()) {
      return;
    }
    HeartbeatResult r = store.heartbeat(running, Instant.ofEpochMilli(now).plus(settings.lease()));
    for (JobId lost : r.lost()) {
      for (WorkerSlot slot : dispatcher.slots()) {
        slot.loseLease(lost);
      }
    }
    for (JobId cancel : r.cancelRequested()) {
      dispatcher.cancelRunning(cancel, "cancelled");
    }
  }

  private void recover(long now) {
    int n = store.recoverExpiredLeases(Instant.ofEpochMilli(now), PROMOTE_BATCH);
    if (n > 0) {
      LOG.info("recovered {} jobs whose lease expired (their node stopped heartbeating)", n);
      dispatcher.signalAll();
    }
  }

  /** Runs up to a pass's budget of retention batches; true if more remains. */
  private boolean purge(long now) {
    long purged = 0;
    boolean more = false;
    for (int i = 0; i < MAX_PURGE_BATCHES_PER_PASS && !stopped; i++) {
      PurgeResult r = store.purge(Instant.ofEpochMilli(now), settings.purgeBatch());
      purged += r.total();
      more = r.more();
      if (!more) {
        break;
      }
    }
    counters.purged.add(purged);
    if (!more) {
      counters.pendingObserved(
          store.counts().pendingByQueue().values().stream().mapToLong(Long::longValue).sum());
    }
    return more;
  }

  void stop() {
    stopped = true;
    wake();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean isAlive() {
    return thread.isAlive();
  }
}
