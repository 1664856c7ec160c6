package dev.plimsoll.internal.engine;

import dev.plimsoll.Job;
import dev.plimsoll.JobContext;
import dev.plimsoll.JobId;
import java.time.Instant;

/** The {@link JobContext} of one attempt. */
final class AttemptContext implements JobContext {
  private final Job job;
  private final long deadline;
  private final WorkerSlot slot;

  AttemptContext(Job job, long deadline, WorkerSlot slot) {
    this.job = job;
    this.deadline = deadline;
    this.slot = slot;
  }

  @Override
  public JobId id() {
    return job.id();
  }

  @Override
  public String type() {
    return job.type();
  }

  @Override
  public String queue() {
    return job.queue();
  }

  @Override
  public String owner() {
    return job.owner();
  }

  @Override
  public byte[] payload() {
    return job.payload();
  }

  @Override
  public int attempt() {
    return job.attempts();
  }

  @Override
  public int maxAttempts() {
    return job.maxAttempts();
  }

  @Override
  public Instant deadline() {
    return Instant.ofEpochMilli(deadline);
  }

  @Override
  public boolean isCancelled() {
    return slot.isCancelled();
  }
}
