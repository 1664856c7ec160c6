package dev.plimsoll.process;

import dev.plimsoll.PlimsollException;

/** A task sent to a persistent worker did not produce a result; {@link #reason()} says why. */
public final class WorkerTaskException extends PlimsollException {
  private static final long serialVersionUID = 1L;

  /** Why the task failed. Only {@link #TASK_ERROR} leaves the worker running. */
  public enum Reason {
    /** The worker answered {@code ok:false}: the task's own error. */
    TASK_ERROR("task_error"),
    /** The worker exited (or could not start) while it held the task; it is restarted. */
    WORKER_CRASHED("worker_crashed"),
    /** The worker's resident memory passed the limit during the task; it was killed. */
    MEMORY_LIMIT_EXCEEDED("memory_limit_exceeded"),
    /** The worker did not answer within the task timeout; it was stopped. */
    TIMED_OUT("timed_out"),
    /** The worker wrote something other than the answer to this task; it was killed. */
    PROTOCOL_ERROR("protocol_error");

    private final String code;

    Reason(String code) {
      this.code = code;
    }
  }

  private final Reason reason;

  public WorkerTaskException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String code() {
    return reason.code;
  }
}
