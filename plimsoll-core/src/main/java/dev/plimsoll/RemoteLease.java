package dev.plimsoll;

import java.time.Instant;

/**
 * A job claimed by a remote worker: RUNNING, its attempt counted.
 *
 * @param job the job as claimed
 * @param token the fencing token every later call about this attempt carries
 * @param leaseUntil when the lease ends unless renewed by a heartbeat
 */
public record RemoteLease(Job job, long token, Instant leaseUntil) {}
