package dev.plimsoll;

/** An attempt to move a job between two states that are not connected. */
public final class IllegalTransitionException extends PlimsollException {
  private static final long serialVersionUID = 1L;
  private final JobState from;
  private final JobState to;

  public IllegalTransitionException(JobState from, JobState to) {
    super("illegal job state transition " + from + " -> " + to);
    this.from = from;
    this.to = to;
  }

  public JobState from() {
    return from;
  }

  public JobState to() {
    return to;
  }

  @Override
  public String code() {
    return "illegal_transition";
  }
}
