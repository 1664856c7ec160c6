package dev.plimsoll;

import java.time.Instant;

/** What a handler knows about the attempt it runs. */
public interface JobContext {
  JobId id();

  String type();

  String queue();

  /** The tenant that submitted the job, or {@code null}. */
  String owner();

  /** The payload bytes. Do not modify. */
  byte[] payload();

  /** 1 for the first attempt. */
  int attempt();

  int maxAttempts();

  /** When this attempt times out and its thread is interrupted. */
  Instant deadline();

  /** True once the job was cancelled (by a user, its scope, or shutdown) while running. */
  boolean isCancelled();
}
