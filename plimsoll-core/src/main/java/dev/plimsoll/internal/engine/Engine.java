package dev.plimsoll.internal.engine;

import dev.plimsoll.BoundedBuffer;
import dev.plimsoll.BufferStats;
import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.EngineStats;
import dev.plimsoll.Health;
import dev.plimsoll.Job;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobEvent;
import dev.plimsoll.JobId;
import dev.plimsoll.JobListener;
import dev.plimsoll.JobOutcome;
import dev.plimsoll.JobPage;
import dev.plimsoll.JobQuery;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.MemoryPressureException;
import dev.plimsoll.OverflowPolicy;
import dev.plimsoll.PlimsollException;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.QueueFullException;
import dev.plimsoll.Scope;
import dev.plimsoll.ScopeInfo;
import dev.plimsoll.SettableClock;
import dev.plimsoll.ShutdownMode;
import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.internal.JobIds;
import dev.plimsoll.internal.KeyedRateLimitedLog;
import dev.plimsoll.spi.CancelResult;
import dev.plimsoll.spi.InsertResult;
import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.NewJob;
import dev.plimsoll.spi.StoreContext;
import dev.plimsoll.spi.StoreCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: admission, queries and lifecycle, wiring the {@link Dispatcher} (workers), the {@link
 * Scheduler} (the one timer thread) and the store.
 *
 * <p>Lifecycle NEW → RUNNING → STOPPING → TERMINATED, every transition taken under {@link
 * #lifecycle}; a second {@link #close()} waits for the first to finish and returns.
 *
 * <p>Threads: {@code concurrency} workers plus one scheduler, whatever the load; remote workers
 * ({@link RemoteWork}) add none.
 */
public final class Engine implements JobEngine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  private static final KeyedRateLimitedLog RATE_LOG =
      new KeyedRateLimitedLog(LOG, 10, TimeUnit.SECONDS);
  private static final long BLOCK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private enum Lifecycle {
    NEW,
    RUNNING,
    STOPPING,
    TERMINATED
  }

  private final EngineSettings settings;
  private final JobStore store;
  private final Counters counters = new Counters();
  private final Listeners listeners;
  private final Waiters waiters;
  private final Admission admission;
  private final Gates gates;
  private final Scheduler scheduler;
  private final Dispatcher dispatcher;
  private final Scopes scopes;
  private final RemoteWork remote;
  private final HealthCheck healthCheck;
  private final SubmitCombiner combiner;
  private final List<BoundedBuffer<?>> buffers = new CopyOnWriteArrayList<>();
  private final ReentrantLock lifecycle = new ReentrantLock();
  private final Condition terminated = lifecycle.newCondition();
  private final ReentrantLock spaceLock = new ReentrantLock();
  private final Condition spaceFreed = spaceLock.newCondition();
  private final Runnable clockListener;
  private volatile int blockedSubmitters;

  /** Counts claims, so a BLOCK submitter never sleeps through one (see {@link #awaitSpace}). */
  private final java.util.concurrent.atomic.AtomicLong claims =
      new java.util.concurrent.atomic.AtomicLong();

  private volatile Lifecycle state = Lifecycle.NEW;
  private volatile boolean admitting = true;
  private volatile String storeProblem;

  public Engine(EngineSettings settings) {
    this.settings = settings;
    this.store = settings.store();
    this.listeners = new Listeners(settings.listeners(), counters, settings.clock());
    this.waiters = new Waiters(settings.maxWaiters());
    this.admission = new Admission(settings, new JobIds(settings.clock()));
    this.scheduler = new Scheduler(settings, counters, listeners);
    DispatcherRef ref = new DispatcherRef();
    this.gates = new Gates(settings, ref::signalAll);
    this.scopes =
        new Scopes(
            settings.maxOpenScopes(),
            settings.maxTasksPerScope(),
            settings.scopeTaskCapacity(),
            ref::signalWork);
    Attempts attempts = new Attempts(settings, counters, listeners, waiters, gates, scheduler);
    this.dispatcher = new Dispatcher(settings, gates, attempts, scopes, counters, this::afterClaim);
    ref.target = dispatcher;
    this.remote =
        new RemoteWork(settings, gates, attempts, counters, listeners, scheduler, this::afterClaim);
    dispatcher.onSignal(remote::signal);
    scheduler.bind(dispatcher, gates, remote);
    this.healthCheck = new HealthCheck(settings.healthRules(), settings.pressure());
    this.clockListener = scheduler::wake;
    // Group commit pays off where an insert is a transaction; the in-memory store's is a few
    // map operations, cheaper than the hand-off.
    this.combiner =
        settings.submitBatch() <= 1 || !store.durable()
            ? null
            : new SubmitCombiner(
                store,
                settings.submitBatch(),
                claims::get,
                () -> storeProblem = null,
                this::insert);
    store.open(
        new StoreContext(
            settings.clock(),
            settings::queueConfig,
            settings.finishedRetention(),
            settings.deadRetention(),
            dispatcher::signalAll));
  }

  /** Lets collaborators built before the dispatcher signal it. */
  private static final class DispatcherRef {
    volatile Dispatcher target;

    void signalWork() {
      Dispatcher d = target;
      if (d != null) {
        d.signalWork();
      }
    }

    void signalAll() {
      Dispatcher d = target;
      if (d != null) {
        d.signalAll();
      }
    }
  }

  @Override
  public JobEngine start() {
    lifecycle.lock();
    try {
      if (state != Lifecycle.NEW) {
        throw new IllegalStateException("engine cannot start: it is " + state);
      }
      if (settings.clock() instanceof SettableClock sc) {
        sc.addListener(clockListener);
      }
      scheduler.start();
      dispatcher.start();
      remote.open();
      state = Lifecycle.RUNNING;
      LOG.info(
          "plimsoll engine started: node {}, {} workers, store {}",
          settings.nodeId(),
          settings.concurrency(),
          store.getClass().getSimpleName());
      return this;
    } finally {
      lifecycle.unlock();
    }
  }

  // ------------------------------------------------------------------ admission

  @Override
  public JobId submit(JobRequest request) {
    List<NewJob> jobs = admit(List.of(request), false);
    if (combiner == null) {
      return accepted(jobs, insert(jobs, null, 0)).get(0);
    }
    InsertResult result = combiner.insert(jobs.get(0));
    return accepted(jobs, List.of(result)).get(0);
  }

  @Override
  public List<JobId> submitAll(List<JobRequest> requests) {
    List<NewJob> jobs = admit(requests, true);
    List<InsertResult> results = insert(jobs, null, 0);
    return accepted(jobs, results);
  }

  /**
   * Validates and admits the requests, or rejects them (counted, told, logged) and throws; with
   * {@code indexed}, an invalid request's field is named with its place ({@code requests[i].f}).
   */
  private List<NewJob> admit(List<JobRequest> requests, boolean indexed) {
    if (requests == null || requests.isEmpty()) {
      throw new dev.plimsoll.InvalidJobException("requests", "must hold at least one job");
    }
    if (!admitting) {
      counters.rejected.add(requests.size());
      throw new EngineClosedException("engine is shutting down and admits no new jobs");
    }
    String shed = settings.pressure() == null ? null : settings.pressure().shedReason();
    if (shed != null) {
      MemoryPressureException e = new MemoryPressureException(shed);
      for (JobRequest r : requests) {
        reject(r, e);
      }
      throw e;
    }
    Instant now = Instant.ofEpochMilli(settings.clock().millis());
    List<NewJob> jobs = new ArrayList<>(requests.size());
    try {
      for (JobRequest r : requests) {
        jobs.add(admission.admit(r, now));
      }
    } catch (PlimsollException e) {
      reject(requests.get(jobs.size()), e);
      if (indexed && e instanceof dev.plimsoll.InvalidJobException invalid) {
        throw invalid.inRequest(jobs.size());
      }
      throw e;
    }
    return jobs;
  }

  /**
   * Inserts the jobs as one store transaction, waiting for space on a full BLOCK queue, or rejects
   * them all and throws. {@code firstFailure}, if not null, is the failure of an attempt already
   * made (by the {@link SubmitCombiner}), with {@code firstClaimsSeen} read before it.
   */
  private List<InsertResult> insert(
      List<NewJob> jobs, RuntimeException firstFailure, long firstClaimsSeen) {
    long deadline = 0;
    RuntimeException failure = firstFailure;
    long claimsSeen = firstClaimsSeen;
    while (true) {
      if (failure == null) {
        claimsSeen = claims.get();
        try {
          List<InsertResult> r = store.insert(jobs);
          storeProblem = null;
          return r;
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      RuntimeException e = failure;
      failure = null;
      if (e instanceof QueueFullException full) {
        QueueConfig q = settings.queueConfig(full.queue());
        if (q.overflow() != OverflowPolicy.BLOCK) {
          rejectAll(jobs, full);
          throw full;
        }
        if (deadline == 0) {
          deadline = System.nanoTime() + q.blockTimeout().toNanos();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !admitting) {
          QueueFullException timedOut =
              new QueueFullException(
                  full.queue(),
                  full.capacity(),
                  "; no space within BLOCK timeout " + q.blockTimeout());
          rejectAll(jobs, timedOut);
          throw timedOut;
        }
        awaitSpace(claimsSeen, Math.min(left, BLOCK_POLL_NANOS));
      } else if (e instanceof StoreUnavailableException down) {
        storeProblem = down.getMessage();
        rejectAll(jobs, down);
        throw down;
      } else if (e instanceof PlimsollException) {
        throw e;
      } else {
        storeProblem = e.toString();
        StoreUnavailableException wrapped =
            new StoreUnavailableException("store failed to record the job: " + e, e);
        rejectAll(jobs, wrapped);
        throw wrapped;
      }
    }
  }

  /**
   * Waits until a worker claims something after {@code claimsSeen} (read before the refused
   * insert), or {@code nanos} pass. Claims count first and signal after, so either this sees the
   * new count or the claimer sees this waiter: no claim is slept through.
   */
  private void awaitSpace(long claimsSeen, long nanos) {
    spaceLock.lock();
    try {
      blockedSubmitters++;
      while (claims.get() == claimsSeen && nanos > 0) {
        nanos = spaceFreed.awaitNanos(nanos);
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new EngineClosedException("interrupted while waiting for queue space");
    } finally {
      blockedSubmitters--;
      spaceLock.unlock();
    }
  }

  /** Called by workers after a claim: blocked submitters may now find space. */
  private void afterClaim() {
    claims.incrementAndGet();
    if (blockedSubmitters > 0) {
      spaceLock.lock();
      try {
        spaceFreed.signalAll();
      } finally {
        spaceLock.unlock();
      }
    }
  }

  private List<JobId> accepted(List<NewJob> jobs, List<InsertResult> results) {
    List<JobId> ids = new ArrayList<>(jobs.size());
    int queued = 0;
    long earliestDelayed = Long.MAX_VALUE;
    for (int i = 0; i < jobs.size(); i++) {
      NewJob job = jobs.get(i);
      InsertResult r = results.get(i);
      ids.add(r.id());
      if (r.duplicate()) {
        continue;
      }
      counters.queued.increment();
      counters.pending(1);
      if (job.delayed()) {
        earliestDelayed = Math.min(earliestDelayed, job.runAt().toEpochMilli());
      } else {
        queued++;
      }
      if (r.dropped() != null) {
        dropped(r.dropped(), job);
      }
      listeners.fire(JobEvent.Kind.SUBMITTED, job.id(), job.type(), job.queue(), 0, null);
    }
    if (queued == 1) {
      dispatcher.signalWork();
    } else if (queued > 1) {
      dispatcher.signalAll();
    }
    if (earliestDelayed != Long.MAX_VALUE) {
      scheduler.dueAt(earliestDelayed);
    }
    return ids;
  }

  private void dropped(JobId victim, NewJob cause) {
    counters.dropped.increment();
    counters.cancelled.increment();
    counters.pending(-1);
    String reason = "dropped: queue '" + cause.queue() + "' full (DROP_OLDEST)";
    waiters.complete(new JobOutcome(victim, JobState.CANCELLED, null, reason));
    listeners.fire(JobEvent.Kind.DROPPED, victim, null, cause.queue(), 0, reason);
    RATE_LOG.warn(
        "dropped-" + cause.queue(),
        "queue '{}' is full: dropped its oldest pending job {} (DROP_OLDEST)",
        cause.queue(),
        victim);
  }

  private void reject(JobRequest r, PlimsollException e) {
    counters.rejected.increment();
    String type = r == null ? null : r.type();
    String queue = r == null ? null : r.queue();
    listeners.fire(JobEvent.Kind.REJECTED, null, type, queue, 0, e.getMessage());
    RATE_LOG.warn("rejected-" + e.code(), "job rejected: {}", e.getMessage());
  }

  private void rejectAll(List<NewJob> jobs, PlimsollException e) {
    counters.rejected.add(jobs.size());
    for (NewJob j : jobs) {
      listeners.fire(JobEvent.Kind.REJECTED, null, j.type(), j.queue(), 0, e.getMessage());
    }
    RATE_LOG.warn("rejected-" + e.code(), "job rejected: {}", e.getMessage());
  }

  @Override
  public CompletableFuture<JobOutcome> completion(JobId id) {
    Optional<Job> now = store.get(id);
    if (now.isPresent() && now.get().state().isFinished()) {
      return CompletableFuture.completedFuture(outcome(now.get()));
    }
    if (now.isEmpty()) {
      return CompletableFuture.failedFuture(
          new dev.plimsoll.InvalidJobException("id", "names no job held by the store: " + id));
    }
    CompletableFuture<JobOutcome> f = waiters.register(id);
    Optional<Job> after = store.get(id);
    if (after.isPresent() && after.get().state().isFinished()) {
      waiters.complete(outcome(after.get()));
    }
    return f;
  }

  private static JobOutcome outcome(Job job) {
    return new JobOutcome(
        job.id(),
        job.state(),
        job.state() == JobState.SUCCEEDED ? job.result() : null,
        job.error());
  }

  // ------------------------------------------------------------------ queries and admin

  @Override
  public Optional<Job> get(JobId id) {
    return store.get(id);
  }

  @Override
  public JobPage list(JobQuery query) {
    return store.list(query);
  }

  @Override
  public boolean cancel(JobId id) {
    String reason = "cancelled";
    CancelResult r = store.cancel(id, reason, Instant.ofEpochMilli(settings.clock().millis()));
    switch (r) {
      case CANCELLED -> {
        Job job = store.get(id).orElse(null);
        pendingCancelled(
            id,
            job == null ? null : job.type(),
            job == null ? null : job.queue(),
            job == null ? 0 : job.attempts(),
            reason);
        return true;
      }
      case REQUESTED -> {
        if (!dispatcher.cancelRunning(id, reason)) {
          remote.requestCancel(id);
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  @Override
  public boolean requeueDead(JobId id) {
    boolean done = store.requeueDead(id, Instant.ofEpochMilli(settings.clock().millis()));
    if (done) {
      counters.pending(1);
      dispatcher.signalWork();
    }
    return done;
  }

  @Override
  public boolean deleteDead(JobId id) {
    return store.deleteDead(id);
  }

  @Override
  public long purgeDead() {
    return store.purgeDead();
  }

  @Override
  public Scope openScope(String name) {
    return scopes.open(name);
  }

  @Override
  public List<ScopeInfo> scopes() {
    return scopes.list();
  }

  @Override
  public <T> BoundedBuffer<T> newBuffer(String name, BoundedBuffer.Config config) {
    buffers.removeIf(BoundedBuffer::isClosed);
    if (buffers.size() >= settings.maxBuffers()) {
      throw new CapacityExceededException("registered buffers (maxBuffers)", settings.maxBuffers());
    }
    BoundedBuffer<T> buffer =
        new BoundedBuffer<>(
            name,
            config,
            item ->
                RATE_LOG.warn(
                    "buffer-drop-" + name,
                    "buffer '{}' is full: dropped its oldest item (DROP_OLDEST)",
                    name));
    buffers.add(buffer);
    return buffer;
  }

  @Override
  public void addListener(JobListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  // ------------------------------------------------------------------ remote workers

  @Override
  public dev.plimsoll.RemoteWorkers remoteWorkers() {
    return remote;
  }

  /** Remote claims parked now (a bounded set; for leak tests). */
  public int parkedClaims() {
    return remote.parkedClaims();
  }

  // ------------------------------------------------------------------ stats and health

  @Override
  public EngineStats stats() {
    return snapshot().stats;
  }

  private Snapshot snapshot() {
    StoreCounts counts;
    try {
      counts = store.counts();
    } catch (RuntimeException e) {
      storeProblem = e.toString();
      counts = null;
    }
    WorkerSlot[] workers = dispatcher.slots();
    List<WorkerSlot> slots = List.of(workers);
    List<SampleWindow> windows = new ArrayList<>(slots.size() + 1);
    windows.add(remote.leases.samples);
    int stuck = 0;
    for (WorkerSlot s : slots) {
      windows.add(s.samples);
      if (s.isStuck()) {
        stuck++;
      }
    }
    SampleWindow.Merged merged = SampleWindow.merge(windows);
    List<BufferStats> bufferStats = new ArrayList<>();
    for (BoundedBuffer<?> b : buffers) {
      if (!b.isClosed()) {
        bufferStats.add(b.stats());
      }
    }
    int running = counters.running();
    long pending =
        counts == null
            ? counters.pending()
            : counts.count(JobState.QUEUED) + counts.count(JobState.SCHEDULED);
    int threads = dispatcher.aliveThreads() + (scheduler.isAlive() ? 1 : 0);
    EngineStats stats =
        new EngineStats(
            Instant.ofEpochMilli(settings.clock().millis()),
            counters.queued.sum(),
            total(workers, WorkerCounts.PROCESSED),
            total(workers, WorkerCounts.SUCCEEDED),
            total(workers, WorkerCounts.ERRORS),
            total(workers, WorkerCounts.RETRIED),
            total(workers, WorkerCounts.DEAD),
            counters.cancelled.sum() + total(workers, WorkerCounts.CANCELLED),
            counters.rejected.sum(),
            counters.dropped.sum(),
            counters.purged.sum(),
            total(workers, WorkerCounts.TIMED_OUT),
            counters.listenerErrors.sum(),
            running,
            counters.peakActive(),
            pending,
            Math.max(counters.peakPending(), pending),
            settings.concurrency(),
            100.0 * running / settings.concurrency(),
            counts == null ? java.util.Map.of() : counts.byState(),
            counts == null ? java.util.Map.of() : counts.pendingByQueue(),
            merged.waitTime(),
            merged.runTime(),
            stuck,
            gates.notClosedTypes(),
            scopes.openCount(),
            scopes.activeTasks(),
            bufferStats,
            threads,
            remote.activeLeases(),
            remote.parkedClaims(),
            remote.leases.stale.sum(),
            remote.leases.expired.sum());
    return new Snapshot(stats, merged.failures());
  }

  /** A total over the workers and the remote workers. */
  private long total(WorkerSlot[] workers, int kind) {
    return WorkerCounts.sum(workers, kind) + remote.leases.counts.get(kind);
  }

  private record Snapshot(EngineStats stats, int failedSamples) {}

  @Override
  public Health health() {
    Snapshot s = snapshot();
    return healthCheck.evaluate(
        s.stats,
        state == Lifecycle.RUNNING && admitting,
        storeProblem,
        s.failedSamples,
        remote.healthReasons(settings.healthRules()));
  }

  /**
   * Single submissions waiting now for a combined insert, the batch in progress excluded (bounded
   * by the callers' threads; for tests).
   */
  public int combiningSubmits() {
    return combiner == null ? 0 : combiner.queued();
  }

  /** Completion futures waiting now (a bounded map; for leak tests). */
  public int waitingFutures() {
    return waiters.size();
  }

  // ------------------------------------------------------------------ shutdown

  @Override
  public void close() {
    shutdown(settings.shutdownMode(), settings.shutdownGrace());
  }

  @Override
  public void shutdown(ShutdownMode mode, Duration grace) {
    lifecycle.lock();
    try {
      while (state == Lifecycle.STOPPING) {
        terminated.awaitUninterruptibly();
      }
      if (state == Lifecycle.TERMINATED) {
        return;
      }
      boolean wasRunning = state == Lifecycle.RUNNING;
      state = Lifecycle.STOPPING;
      admitting = false;
      lifecycle.unlock();
      try {
        stop(mode, grace, wasRunning);
      } finally {
        lifecycle.lock();
        state = Lifecycle.TERMINATED;
        terminated.signalAll();
      }
    } finally {
      lifecycle.unlock();
    }
  }

  private void stop(ShutdownMode mode, Duration grace, boolean wasRunning) {
    long deadline = System.nanoTime() + grace.toNanos();
    LOG.info("plimsoll engine shutting down ({}, grace {})", mode, grace);
    if (wasRunning) {
      if (store.durable()) {
        remote.stopClaims();
        dispatcher.stopClaiming();
      } else if (mode == ShutdownMode.CANCEL_PENDING) {
        remote.stopClaims();
        cancelPending();
      } else {
        awaitDrained(deadline); // remote workers drain too: their claims are still taken
      }
      remote.stopClaims();
      dispatcher.stopClaiming();
      if (!store.durable()) {
        cancelPending();
      }
      scopes.closeAll("shutdown");
      awaitIdle(deadline);
      dispatcher.interruptAll(Attempts.SHUTDOWN);
      List<Thread> alive =
          dispatcher.stop(settings.stuckGrace().toNanos() + TimeUnit.SECONDS.toNanos(1));
      for (Thread t : alive) {
        LOG.error(
            "worker {} ignored interruption at shutdown and is still running; it is a daemon thread"
                + " and will not hold the JVM",
            t.getName());
      }
      scheduler.stop();
      remote.endLeases(store.durable());
    } else {
      remote.stopClaims();
      if (!store.durable()) {
        cancelPending();
      }
    }
    if (settings.clock() instanceof SettableClock sc) {
      sc.removeListener(clockListener);
    }
    waiters.failAll(
        new EngineClosedException(
            "engine closed before the job ended; durable jobs stay in the store"));
    for (BoundedBuffer<?> b : buffers) {
      b.close();
    }
    buffers.clear();
    if (settings.ownsStore()) {
      try {
        store.close();
      } catch (RuntimeException e) {
        LOG.warn("closing the store failed: {}", e.toString());
      }
    }
    LOG.info("plimsoll engine stopped");
  }

  /** DRAIN: wait until nothing is pending or running, or the deadline. */
  private void awaitDrained(long deadline) {
    while (System.nanoTime() < deadline) {
      StoreCounts c = store.counts();
      long left =
          c.count(JobState.QUEUED) + c.count(JobState.SCHEDULED) + c.count(JobState.RUNNING);
      if (left == 0 && scopes.queued() == 0 && dispatcher.busy() == 0) {
        return;
      }
      parkBriefly(deadline);
    }
  }

  /** Running work, local and remote, gets the grace period. */
  private void awaitIdle(long deadline) {
    while ((dispatcher.busy() > 0 || remote.activeLeases() > 0) && System.nanoTime() < deadline) {
      parkBriefly(deadline);
    }
  }

  private static void parkBriefly(long deadline) {
    long left = deadline - System.nanoTime();
    java.util.concurrent.locks.LockSupport.parkNanos(
        Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)));
  }

  /** Cancels every pending in-memory job with reason {@code shutdown}, telling its waiters. */
  private void cancelPending() {
    List<Job> batch;
    do {
      batch =
          store.cancelPending(
              Attempts.SHUTDOWN, Instant.ofEpochMilli(settings.clock().millis()), 1_000);
      for (Job job : batch) {
        pendingCancelled(job.id(), job.type(), job.queue(), job.attempts(), Attempts.SHUTDOWN);
      }
    } while (!batch.isEmpty());
  }

  /** A pending job the store has cancelled: count it, tell its waiter and the listeners. */
  private void pendingCancelled(JobId id, String type, String queue, int attempts, String reason) {
    counters.cancelled.increment();
    counters.pending(-1);
    waiters.complete(new JobOutcome(id, JobState.CANCELLED, null, reason));
    listeners.fire(JobEvent.Kind.CANCELLED, id, type, queue, attempts, reason);
  }
}
