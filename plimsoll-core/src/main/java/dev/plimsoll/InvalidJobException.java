package dev.plimsoll;

/** Bad input: names the field and the rule it broke. Nothing was changed. */
public final class InvalidJobException extends PlimsollException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidJobException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
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
