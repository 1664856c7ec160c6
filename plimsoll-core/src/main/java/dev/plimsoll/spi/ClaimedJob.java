package dev.plimsoll.spi;

import dev.plimsoll.Job;
import java.time.Instant;

/**
 * A job handed to a worker. Every later call about this attempt carries {@code token}; a call with
 * a stale token (the lease was lost and the job claimed again) changes nothing.
 *
 * @param job the job, already RUNNING with its attempt counted
 * @param token fencing token of this claim
 * @param leaseUntil when the lease ends without a heartbeat ({@link Instant#MAX} without leases)
 */
public record ClaimedJob(Job job, long token, Instant leaseUntil) {}
