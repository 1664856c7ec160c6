package dev.plimsoll;

/**
 * A filter for listing jobs, newest first. Null fields do not filter.
 *
 * @param state only jobs in this state
 * @param type only jobs of this type
 * @param queue only jobs in this queue
 * @param owner only jobs of this tenant
 * @param limit page size, 1 to 1,000
 * @param cursor the {@link JobPage#nextCursor()} of the previous page, or {@code null}
 */
public record JobQuery(
    JobState state, String type, String queue, String owner, int limit, String cursor) {
  public static final int MAX_LIMIT = 1_000;

  public JobQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidJobException(
          "limit", "must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
  }

  public static JobQuery all(int limit) {
    return new JobQuery(null, null, null, null, limit, null);
  }

  public static JobQuery inState(JobState state, int limit) {
    return new JobQuery(state, null, null, null, limit, null);
  }

  public JobQuery withCursor(String next) {
    return new JobQuery(state, type, queue, owner, limit, next);
  }

  public JobQuery withOwner(String tenant) {
    return new JobQuery(state, type, queue, tenant, limit, cursor);
  }

  /** Whether {@code job} passes this filter (ignoring the cursor and limit). */
  public boolean matches(Job job) {
    return (state == null || job.state() == state)
        && (type == null || type.equals(job.type()))
        && (queue == null || queue.equals(job.queue()))
        && (owner == null || owner.equals(job.owner()));
  }
}
