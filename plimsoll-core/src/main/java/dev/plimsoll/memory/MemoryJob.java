package dev.plimsoll.memory;

import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import dev.plimsoll.JobState;
import java.time.Duration;
import java.time.Instant;

/**
 * One job as the in-memory store holds it. Every field is guarded by the store's lock. Kept small:
 * it is most of the ≤ 256 bytes a pending job may cost.
 */
final class MemoryJob {
  final JobId id;
  final String queue;
  final String type;
  final String owner;
  final String idempotencyKey;
  final int priority;
  final long timeoutMillis;
  final long createdAt;
  final long seq;
  byte[] payload;
  int maxAttempts;
  long runAt;
  long updatedAt;
  JobState state;
  int attempts;
  long token;
  byte[] result;
  String error;
  boolean cancelRequested;

  MemoryJob(
      JobId id,
      String queue,
      String type,
      byte[] payload,
      String owner,
      String idempotencyKey,
      int priority,
      int maxAttempts,
      long timeoutMillis,
      long createdAt,
      long runAt,
      long seq) {
    this.id = id;
    this.queue = queue;
    this.type = type;
    this.payload = payload;
    this.owner = owner;
    this.idempotencyKey = idempotencyKey;
    this.priority = priority;
    this.maxAttempts = maxAttempts;
    this.timeoutMillis = timeoutMillis;
    this.createdAt = createdAt;
    this.runAt = runAt;
    this.updatedAt = createdAt;
    this.seq = seq;
  }

  void moveTo(JobState target, long now) {
    state = state.checkMove(target);
    updatedAt = now;
  }

  String idempotencySlot() {
    return idempotencyKey == null ? null : slot(owner, idempotencyKey);
  }

  static String slot(String owner, String key) {
    return (owner == null ? "" : owner) + '\u0000' + key;
  }

  Job snapshot() {
    return new Job(
        id,
        queue,
        type,
        payload,
        owner,
        idempotencyKey,
        priority,
        state,
        attempts,
        maxAttempts,
        Duration.ofMillis(timeoutMillis),
        Instant.ofEpochMilli(createdAt),
        Instant.ofEpochMilli(runAt),
        Instant.ofEpochMilli(updatedAt),
        result,
        error);
  }
}
