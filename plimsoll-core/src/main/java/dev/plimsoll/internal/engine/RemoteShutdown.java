package dev.plimsoll.internal.engine;

import static dev.plimsoll.internal.engine.RemoteWork.LOG;

import dev.plimsoll.internal.engine.RemoteLeases.Lease;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.JobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of shutdown for remote work: the leases still held when the grace period ran out.
 * Called once, on the closing thread, after the scheduler has stopped. A worker's report may race
 * it: whichever ends a lease first under the lease's monitor ({@link RemoteLeases#drain} or the
 * report) records its outcome, and the other changes nothing.
 */
final class RemoteShutdown {
  private final EngineSettings settings;
  private final JobStore store;
  private final Gates gates;
  private final Attempts attempts;
  private final RemoteLeases leases;

  RemoteShutdown(EngineSettings settings, Gates gates, Attempts attempts, RemoteLeases leases) {
    this.settings = settings;
    this.store = settings.store();
    this.gates = gates;
    this.attempts = attempts;
    this.leases = leases;
  }

  /**
   * Drops every lease. With a store that is not durable their jobs end CANCELLED with reason {@code
   * shutdown}; a durable store keeps them RUNNING for its lease expiry or orphan recovery.
   */
  void endLeases(boolean durable) {
    List<Lease> held = leases.drain();
    if (held.isEmpty()) {
      return;
    }
    long now = settings.clock().millis();
    if (durable) {
      for (Lease l : held) {
        l.exitGate(gates, null, now);
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
      l.exitGate(gates, null, now);
      if (applied[i]) {
        leases.counts.increment(WorkerCounts.PROCESSED);
        attempts.announce(leases.counts, l.job, cs.get(i));
      }
    }
    LOG.info("cancelled {} jobs of remote workers at shutdown", held.size());
  }
}
