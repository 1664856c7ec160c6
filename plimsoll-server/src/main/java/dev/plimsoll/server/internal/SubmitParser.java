package dev.plimsoll.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plimsoll.InvalidJobException;
import dev.plimsoll.JobRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a job to submit from its JSON object ({@code POST /v1/jobs}, and each item of {@code POST
 * /v1/jobs/batch}), with errors that name the field as the API spells it; and turns the engine's
 * own refusals back into the API's field names.
 */
final class SubmitParser {
  static final Set<String> FIELDS =
      Set.of(
          "type",
          "payload",
          "queue",
          "priority",
          "runAt",
          "delayMillis",
          "maxAttempts",
          "timeoutMillis");

  /** A batch item may also carry its idempotency key (a single submission has it as a header). */
  static final Set<String> ITEM_FIELDS = with(FIELDS, "idempotencyKey");

  /** One parsed job: the request, whether it runs later, and its idempotency key or null. */
  record Parsed(JobRequest request, boolean delayed, String key) {}

  private final Clock clock;

  SubmitParser(Clock clock) {
    this.clock = clock;
  }

  /**
   * The request in {@code o} for {@code tenant}, keyed by {@code key} (null: none).
   *
   * @param keyField how the API names the key in errors ({@code Idempotency-Key} or a field)
   */
  Parsed parse(ObjectNode o, String tenant, String key, String keyField) {
    if (key != null
        && (key.isEmpty()
            || key.length() > 200
            || !key.chars().allMatch(c -> c >= 32 && c < 127))) {
      throw ApiError.invalid(keyField, "must be 1 to 200 printable ASCII characters");
    }
    JobRequest.Builder b = JobRequest.builder(Json.string(o, "type", true, 128));
    if (o.has("payload")) {
      b.payload(Json.toBytes(o.get("payload")));
    }
    b.queue(Json.string(o, "queue", false, 128));
    Long priority = Json.integer(o, "priority", 0, 9);
    if (priority != null) {
      b.priority(priority.intValue());
    }
    String runAt = Json.string(o, "runAt", false, 64);
    boolean delayed = false;
    if (runAt != null) {
      try {
        Instant at = Instant.parse(runAt);
        b.runAt(at);
        delayed = at.isAfter(clock.instant());
      } catch (DateTimeParseException e) {
        throw ApiError.invalid("runAt", "must be an ISO-8601 instant like 2030-01-01T00:00:00Z");
      }
    }
    Long delay = Json.integer(o, "delayMillis", 0, Duration.ofDays(365).toMillis());
    if (delay != null) {
      b.delay(Duration.ofMillis(delay));
      delayed = delay > 0;
    }
    Long attempts = Json.integer(o, "maxAttempts", 1, 1_000);
    if (attempts != null) {
      b.maxAttempts(attempts.intValue());
    }
    Long timeout = Json.integer(o, "timeoutMillis", 1, Duration.ofHours(24).toMillis());
    if (timeout != null) {
      b.timeout(Duration.ofMillis(timeout));
    }
    b.owner(tenant);
    b.idempotencyKey(JobViews.engineKey(tenant, key));
    return new Parsed(b.build(), delayed, key);
  }

  /**
   * The jobs of a batch body {@code {"jobs":[...]}}, 1 to {@code max} of them; an invalid item is
   * named by its place ({@code jobs[3].type}).
   */
  List<Parsed> parseBatch(ObjectNode body, String tenant, int max) {
    JsonNode items = body.get("jobs");
    if (items == null || items.isNull()) {
      throw ApiError.invalid("jobs", "is required");
    }
    if (!items.isArray()) {
      throw ApiError.invalid("jobs", "must be an array of job objects");
    }
    if (items.isEmpty() || items.size() > max) {
      throw ApiError.invalid(
          "jobs", "must hold 1 to " + max + " jobs (server.maxBatchJobs), got " + items.size());
    }
    List<Parsed> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String at = "jobs[" + i + "]";
      JsonNode item = items.get(i);
      if (!item.isObject()) {
        throw ApiError.invalid(at, "must be a job object");
      }
      try {
        ObjectNode o = Json.only((ObjectNode) item, ITEM_FIELDS);
        String key = Json.string(o, "idempotencyKey", false, Integer.MAX_VALUE);
        out.add(parse(o, tenant, key, "idempotencyKey"));
      } catch (ApiError e) {
        throw e.within(at);
      }
    }
    return out;
  }

  /**
   * The engine's refusal with the API's field names: {@code delay} is {@code delayMillis}, a
   * batch's {@code requests[i].f} is {@code jobs[i].f}; {@code keyField} names the idempotency key.
   */
  static RuntimeException renamed(InvalidJobException e, String keyField) {
    String field = e.field();
    String prefix = "";
    if (field.startsWith("requests[")) {
      int dot = field.indexOf("].");
      if (dot > 0) {
        prefix = "jobs" + field.substring("requests".length(), dot + 2);
        field = field.substring(dot + 2);
      }
    }
    String api =
        switch (field) {
          case "idempotencyKey" -> keyField;
          case "delay" -> "delayMillis";
          case "timeout" -> "timeoutMillis";
          default -> field;
        };
    if (prefix.isEmpty() && api.equals(field)) {
      return e;
    }
    return ApiError.invalid(prefix + api, e.problem());
  }

  private static Set<String> with(Set<String> fields, String extra) {
    Set<String> all = new HashSet<>(fields);
    all.add(extra);
    return Set.copyOf(all);
  }
}
