package dev.plimsoll;

/**
 * How a job ended, as told to whoever waits on {@link JobEngine#completion(JobId)}.
 *
 * @param id the job
 * @param state SUCCEEDED, DEAD or CANCELLED
 * @param result the handler's result for SUCCEEDED, else {@code null}
 * @param error the error (DEAD) or the reason (CANCELLED, e.g. {@code shutdown}), else null
 */
public record JobOutcome(JobId id, JobState state, byte[] result, String error) {}
