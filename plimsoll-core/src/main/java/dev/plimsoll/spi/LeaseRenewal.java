package dev.plimsoll.spi;

import dev.plimsoll.JobId;

/** One running attempt whose lease a heartbeat extends. */
public record LeaseRenewal(JobId id, long token) {}
