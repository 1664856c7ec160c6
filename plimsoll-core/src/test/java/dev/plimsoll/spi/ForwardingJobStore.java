package dev.plimsoll.spi;

import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import dev.plimsoll.JobPage;
import dev.plimsoll.JobQuery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A store that forwards every call, for tests that observe or alter one operation of a store. */
public class ForwardingJobStore implements JobStore {
  protected final JobStore delegate;

  public ForwardingJobStore(JobStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void open(StoreContext context) {
    delegate.open(context);
  }

  @Override
  public boolean durable() {
    return delegate.durable();
  }

  @Override
  public boolean leases() {
    return delegate.leases();
  }

  @Override
  public List<InsertResult> insert(List<NewJob> jobs) {
    return delegate.insert(jobs);
  }

  @Override
  public List<ClaimedJob> claim(ClaimRequest request) {
    return delegate.claim(request);
  }

  @Override
  public boolean[] complete(List<Completion> completions) {
    return delegate.complete(completions);
  }

  @Override
  public HeartbeatResult heartbeat(List<LeaseRenewal> running, Instant until) {
    return delegate.heartbeat(running, until);
  }

  @Override
  public int promoteDue(Instant now, int max) {
    return delegate.promoteDue(now, max);
  }

  @Override
  public Optional<Instant> nextRunAt() {
    return delegate.nextRunAt();
  }

  @Override
  public int recoverExpiredLeases(Instant now, int max) {
    return delegate.recoverExpiredLeases(now, max);
  }

  @Override
  public Optional<Job> get(JobId id) {
    return delegate.get(id);
  }

  @Override
  public JobPage list(JobQuery query) {
    return delegate.list(query);
  }

  @Override
  public CancelResult cancel(JobId id, String reason, Instant now) {
    return delegate.cancel(id, reason, now);
  }

  @Override
  public List<Job> cancelPending(String reason, Instant now, int max) {
    return delegate.cancelPending(reason, now, max);
  }

  @Override
  public boolean requeueDead(JobId id, Instant now) {
    return delegate.requeueDead(id, now);
  }

  @Override
  public boolean deleteDead(JobId id) {
    return delegate.deleteDead(id);
  }

  @Override
  public long purgeDead() {
    return delegate.purgeDead();
  }

  @Override
  public PurgeResult purge(Instant now, int batch) {
    return delegate.purge(now, batch);
  }

  @Override
  public StoreCounts counts() {
    return delegate.counts();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
