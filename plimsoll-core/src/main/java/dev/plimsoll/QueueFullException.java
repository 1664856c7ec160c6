package dev.plimsoll;

/**
 * A queue is at its capacity and its overflow policy refused the job (REJECT, or BLOCK whose
 * timeout ran out). Every store throws this same type. Nothing was changed.
 */
public final class QueueFullException extends PlimsollException {
  private static final long serialVersionUID = 1L;
  private final String queue;
  private final long capacity;

  public QueueFullException(String queue, long capacity, String detail) {
    super("queue '" + queue + "' is full (capacity " + capacity + " pending jobs)" + detail, true);
    this.queue = queue;
    this.capacity = capacity;
  }

  public QueueFullException(String queue, long capacity) {
    this(queue, capacity, "");
  }

  public String queue() {
    return queue;
  }

  public long capacity() {
    return capacity;
  }

  @Override
  public String code() {
    return "queue_full";
  }
}
