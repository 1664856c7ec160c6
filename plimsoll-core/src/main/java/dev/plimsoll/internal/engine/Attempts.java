package dev.plimsoll.internal.engine;

import dev.plimsoll.Job;
import dev.plimsoll.JobEvent;
import dev.plimsoll.JobHandler;
import dev.plimsoll.JobOutcome;
import dev.plimsoll.JobState;
import dev.plimsoll.NonRetryableException;
import dev.plimsoll.internal.KeyedRateLimitedLog;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt on a worker and decides what becomes of it: success, retry with backoff, dead
 * letter, cancellation or (at shutdown of a durable node) release. After the store has applied a
 * batch of decisions, {@link #applied} tells counters, waiters and listeners.
 */
final class Attempts {
  static final String SHUTDOWN = "shutdown";
  private static final KeyedRateLimitedLog LOG =
      new KeyedRateLimitedLog(LoggerFactory.getLogger(Attempts.class), 10, TimeUnit.SECONDS);

  private final EngineSettings settings;
  private final Counters counters;
  private final Listeners listeners;
  private final Waiters waiters;
  private final Gates gates;
  private final Scheduler scheduler;
  private final boolean durable;

  Attempts(
      EngineSettings settings,
      Counters counters,
      Listeners listeners,
      Waiters waiters,
      Gates gates,
      Scheduler scheduler) {
    this.settings = settings;
    this.counters = counters;
    this.listeners = listeners;
    this.waiters = waiters;
    this.gates = gates;
    this.scheduler = scheduler;
    this.durable = settings.store().durable();
  }

  /**
   * Runs {@code claimed} on {@code slot}; returns the decision for the store, or null when the
   * attempt's lease was lost (its outcome must be discarded).
   */
  Completion run(WorkerSlot slot, ClaimedJob claimed, TypeGate gate) {
    Job job = claimed.job();
    long start = settings.clock().millis();
    int gen = gate.enter(start);
    if (gen < 0) {
      return Completion.released(job.id(), claimed.token(), Instant.ofEpochMilli(start));
    }
    long deadline = start + job.timeout().toMillis();
    slot.beginJob(job.id(), claimed.token(), deadline);
    scheduler.dueAt(deadline);
    counters.started();
    listeners.fire(JobEvent.Kind.STARTED, job.id(), job.type(), job.queue(), job.attempts(), null);
    JobHandler handler = settings.handlers().get(job.type());
    byte[] result = null;
    Throwable failure = null;
    try {
      result = handler.handle(new AttemptContext(job, deadline, slot));
    } catch (Throwable t) {
      failure = t;
    }
    WorkerSlot.Flags flags = slot.end();
    counters.ended();
    long end = settings.clock().millis();
    Instant at = Instant.ofEpochMilli(end);

    if (flags.leaseLost()) {
      gates.exited(gate, gen, null, end);
      slot.counts.increment(WorkerCounts.FENCED);
      LOG.warn(
          "lease-lost", "job {} lost its lease while running; its outcome is discarded", job.id());
      return null;
    }
    slot.counts.increment(WorkerCounts.PROCESSED);
    if (flags.cancelReason() != null) {
      gates.exited(gate, gen, null, end);
      slot.samples.record(start - job.runAt().toEpochMilli(), end - start, false);
      if (durable && SHUTDOWN.equals(flags.cancelReason())) {
        return Completion.released(job.id(), claimed.token(), at);
      }
      return Completion.cancelled(job.id(), claimed.token(), flags.cancelReason(), at);
    }
    boolean failed = failure != null || flags.timedOut();
    slot.samples.record(start - job.runAt().toEpochMilli(), end - start, failed);
    gates.exited(gate, gen, !failed, end);
    if (!failed) {
      return Completion.succeeded(
          job.id(), claimed.token(), Texts.capResult(result, settings.maxResultBytes()), at);
    }
    slot.counts.increment(WorkerCounts.ERRORS);
    String error;
    if (flags.timedOut()) {
      slot.counts.increment(WorkerCounts.TIMED_OUT);
      error = "timed out after " + job.timeout().toMillis() + " ms";
    } else {
      error = Texts.describe(failure);
    }
    error = Texts.capError(error, settings.maxErrorChars());
    return afterFailure(
        job, claimed.token(), error, !(failure instanceof NonRetryableException), at);
  }

  /**
   * The decision after a failed attempt (local or remote), its {@code error} already capped: a
   * retry with backoff while attempts are left and the failure is retryable, else DEAD.
   */
  Completion afterFailure(Job job, long token, String error, boolean retryable, Instant at) {
    if (!retryable) {
      return Completion.dead(job.id(), token, "non-retryable: " + error, at);
    }
    if (job.attempts() >= job.maxAttempts()) {
      return Completion.dead(
          job.id(), token, "attempts exhausted (" + job.attempts() + "): " + error, at);
    }
    Instant retryAt =
        at.plus(settings.backoff().delay(job.attempts(), settings.jitter().getAsDouble()));
    return Completion.retry(job.id(), token, error, retryAt, at);
  }

  /** A claimed job that will not start because the engine stopped: release or cancel it. */
  Completion abandon(ClaimedJob claimed) {
    Instant at = Instant.ofEpochMilli(settings.clock().millis());
    return durable
        ? Completion.released(claimed.job().id(), claimed.token(), at)
        : Completion.cancelled(claimed.job().id(), claimed.token(), SHUTDOWN, at);
  }

  /** A claimed job cancelled before it started: it ends CANCELLED without running. */
  Completion cancelBeforeStart(ClaimedJob claimed, String reason) {
    Instant at = Instant.ofEpochMilli(settings.clock().millis());
    return Completion.cancelled(claimed.job().id(), claimed.token(), reason, at);
  }

  void scopeTaskStarted(long deadline) {
    scheduler.dueAt(deadline);
    counters.started();
  }

  /** Tells counters, waiters and listeners about decisions the store has (or has not) applied. */
  void applied(
      WorkerSlot slot, List<ClaimedJob> jobs, List<Completion> decisions, boolean[] applied) {
    for (int i = 0; i < decisions.size(); i++) {
      Completion c = decisions.get(i);
      Job job = jobs.get(i).job();
      if (!applied[i]) {
        slot.counts.increment(WorkerCounts.FENCED);
        LOG.warn(
            "fenced",
            "completion of job {} was refused by the store (lease lost or job changed); counted as fenced",
            c.id());
        continue;
      }
      announce(slot.counts, job, c);
    }
  }

  /** Tells counters, waiters and listeners about one applied decision. */
  void announce(WorkerCounts counts, Job job, Completion c) {
    switch (c.next()) {
      case SUCCEEDED -> {
        counts.increment(WorkerCounts.SUCCEEDED);
        waiters.complete(new JobOutcome(job.id(), JobState.SUCCEEDED, c.result(), null));
        listeners.fire(
            JobEvent.Kind.SUCCEEDED, job.id(), job.type(), job.queue(), job.attempts(), null);
      }
      case SCHEDULED -> {
        counts.increment(WorkerCounts.RETRIED);
        counters.pending(1);
        scheduler.dueAt(c.runAt().toEpochMilli());
        listeners.fire(
            JobEvent.Kind.FAILED, job.id(), job.type(), job.queue(), job.attempts(), c.error());
      }
      case QUEUED -> counters.pending(1);
      case DEAD -> {
        counts.increment(WorkerCounts.DEAD);
        waiters.complete(new JobOutcome(job.id(), JobState.DEAD, null, c.error()));
        listeners.fire(
            JobEvent.Kind.DEAD, job.id(), job.type(), job.queue(), job.attempts(), c.error());
      }
      case CANCELLED -> {
        counts.increment(WorkerCounts.CANCELLED);
        waiters.complete(new JobOutcome(job.id(), JobState.CANCELLED, null, c.error()));
        listeners.fire(
            JobEvent.Kind.CANCELLED, job.id(), job.type(), job.queue(), job.attempts(), c.error());
      }
      default -> throw new IllegalStateException("unexpected completion " + c.next());
    }
  }
}
