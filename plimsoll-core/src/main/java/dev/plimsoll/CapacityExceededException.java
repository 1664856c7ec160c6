package dev.plimsoll;

/**
 * A bounded collection other than a job queue is full (scope tasks, open scopes, completion
 * waiters, a {@link BoundedBuffer}). Names the bound and its limit. Nothing was changed.
 */
public final class CapacityExceededException extends PlimsollException {
  private static final long serialVersionUID = 1L;
  private final String bound;
  private final long limit;

  public CapacityExceededException(String bound, long limit) {
    super(bound + " is at its limit of " + limit, true);
    this.bound = bound;
    this.limit = limit;
  }

  public String bound() {
    return bound;
  }

  public long limit() {
    return limit;
  }

  @Override
  public String code() {
    return "capacity_exceeded";
  }
}
