package dev.plimsoll;

/** Bad input: names the field and the rule it broke. Nothing was changed. */
public final class InvalidJobException extends PlimsollException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String problem;

  public InvalidJobException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** The rule the field broke, without the field's name. */
  public String problem() {
    return problem;
  }

  /**
   * The same error for the request at {@code index} of a batch: the field becomes {@code
   * requests[index].field}.
   */
  public InvalidJobException inRequest(int index) {
    return new InvalidJobException("requests[" + index + "]." + field, problem);
  }

  /** The offending field, e.g. {@code payload} or {@code maxAttempts}. */
  public String field() {
    return field;
  }

  @Override
  public String code() {
    return "invalid";
  }
}
