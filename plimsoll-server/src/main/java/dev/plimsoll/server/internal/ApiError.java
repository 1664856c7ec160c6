package dev.plimsoll.server.internal;

/**
 * An HTTP answer other than success, thrown by a route and written by {@link ErrorMapper} as {@code
 * {"error":{"code","message","field"?}}}. Stackless: refusals are expected, and frequent under
 * abuse.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;
  private final String field;
  private final boolean retryAfter;

  /** For {@link #invalid}: the rule the field broke, without its name; else null. */
  private final String problem;

  public ApiError(int status, String code, String message, String field, boolean retryAfter) {
    this(status, code, message, field, retryAfter, null);
  }

  private ApiError(
      int status, String code, String message, String field, boolean retryAfter, String problem) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
    this.problem = problem;
  }

  public static ApiError invalid(String field, String message) {
    return new ApiError(400, "invalid", field + " " + message, field, false, message);
  }

  /**
   * This error for a field of the item at {@code place} of a request ({@code jobs[3]}): an invalid
   * field {@code f} becomes {@code place.f}; other errors are returned as they are.
   */
  public ApiError within(String place) {
    return problem == null ? this : invalid(place + "." + field, problem);
  }

  public static ApiError notFound(String what) {
    return new ApiError(404, "not_found", what + " not found", null, false);
  }

  public static ApiError conflict(String code, String message) {
    return new ApiError(409, code, message, null, false);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  public boolean retryAfter() {
    return retryAfter;
  }
}
