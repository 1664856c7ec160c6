package dev.plimsoll;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a caller asks to run. Unset optional fields take the engine's defaults. Validation happens
 * at submission, against the engine's limits, so errors name the field and the limit.
 */
public final class JobRequest {
  private final String type;
  private final byte[] payload;
  private final String queue;
  private final String owner;
  private final String idempotencyKey;
  private final Integer priority;
  private final Instant runAt;
  private final Duration delay;
  private final Integer maxAttempts;
  private final Duration timeout;

  private JobRequest(Builder b) {
    this.type = b.type;
    this.payload = b.payload;
    this.queue = b.queue;
    this.owner = b.owner;
    this.idempotencyKey = b.idempotencyKey;
    this.priority = b.priority;
    this.runAt = b.runAt;
    this.delay = b.delay;
    this.maxAttempts = b.maxAttempts;
    this.timeout = b.timeout;
  }

  /** A job of {@code type} with {@code payload} and every other field defaulted. */
  public static JobRequest of(String type, byte[] payload) {
    return builder(type).payload(payload).build();
  }

  public static Builder builder(String type) {
    return new Builder(type);
  }

  public String type() {
    return type;
  }

  public byte[] payload() {
    return payload;
  }

  /** The queue, or {@code null} for the default queue. */
  public String queue() {
    return queue;
  }

  public String owner() {
    return owner;
  }

  public String idempotencyKey() {
    return idempotencyKey;
  }

  public Integer priority() {
    return priority;
  }

  public Instant runAt() {
    return runAt;
  }

  public Duration delay() {
    return delay;
  }

  public Integer maxAttempts() {
    return maxAttempts;
  }

  public Duration timeout() {
    return timeout;
  }

  /** Builds a {@link JobRequest}; validation of ranges happens at submission. */
  public static final class Builder {
    private final String type;
    private byte[] payload = new byte[0];
    private String queue;
    private String owner;
    private String idempotencyKey;
    private Integer priority;
    private Instant runAt;
    private Duration delay;
    private Integer maxAttempts;
    private Duration timeout;

    private Builder(String type) {
      this.type = type;
    }

    public Builder payload(byte[] payload) {
      this.payload = payload;
      return this;
    }

    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    public Builder owner(String owner) {
      this.owner = owner;
      return this;
    }

    public Builder idempotencyKey(String key) {
      this.idempotencyKey = key;
      return this;
    }

    /** 0 (lowest) to 9 (highest); default 5. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** Run no earlier than {@code runAt}. Exclusive with {@link #delay}. */
    public Builder runAt(Instant runAt) {
      this.runAt = Objects.requireNonNull(runAt, "runAt");
      return this;
    }

    /** Run no earlier than {@code delay} after submission. Exclusive with {@link #runAt}. */
    public Builder delay(Duration delay) {
      this.delay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public JobRequest build() {
      return new JobRequest(this);
    }
  }
}
