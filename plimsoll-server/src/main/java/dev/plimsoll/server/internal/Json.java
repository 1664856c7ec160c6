package dev.plimsoll.server.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict JSON in and out: one mapper that refuses duplicate keys and trailing data, a body reader
 * that stops at the size cap before reading the rest, and field readers whose errors name the field
 * and the rule.
 */
public final class Json {
  public static final ObjectMapper MAPPER = mapper();

  private Json() {}

  private static ObjectMapper mapper() {
    ObjectMapper m = new ObjectMapper();
    m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    SimpleModule time = new SimpleModule("plimsoll-time");
    time.addSerializer(Instant.class, ToStringSerializer.instance);
    time.addSerializer(Duration.class, ToStringSerializer.instance);
    m.registerModule(time);
    return m;
  }

  /**
   * The request body, at most {@code max} bytes: a declared Content-Length above it is refused
   * before anything is read, and a chunked body is refused as soon as it grows past it.
   */
  public static byte[] body(Context ctx, long max, Clock clock, Duration timeout) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) {
      throw tooLarge(declared + " bytes", max);
    }
    long deadline = clock.millis() + timeout.toMillis();
    ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
    byte[] chunk = new byte[8192];
    try (InputStream in = ctx.req().getInputStream()) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        out.write(chunk, 0, n);
        if (out.size() > max) {
          throw tooLarge("more than " + max + " bytes", max);
        }
        if (clock.millis() > deadline) {
          throw new ApiError(
              408,
              "request_timeout",
              "request body took longer than " + timeout + " to arrive (server.bodyTimeout)",
              "body",
              false);
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new ApiError(
          400, "unreadable_body", "request body could not be read: " + e, "body", false);
    }
  }

  private static ApiError tooLarge(String size, long max) {
    return new ApiError(
        413,
        "payload_too_large",
        "request body is "
            + size
            + ", more than the limit of "
            + max
            + " bytes (server.maxBodyBytes)",
        "body",
        false);
  }

  /** The body as a JSON object with only {@code allowed} fields (empty body: an empty object). */
  public static ObjectNode object(byte[] body, Set<String> allowed) {
    if (body.length == 0) {
      return MAPPER.createObjectNode();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + " column "
                  + e.getLocation().getColumnNr();
      throw new ApiError(
          400,
          "invalid_json",
          "body is not valid JSON" + where + ": " + e.getOriginalMessage(),
          "body",
          false);
    } catch (IOException e) {
      throw new ApiError(400, "invalid_json", "body is not valid JSON: " + e, "body", false);
    }
    if (node == null || !node.isObject()) {
      throw ApiError.invalid("body", "must be a JSON object");
    }
    return only((ObjectNode) node, allowed);
  }

  /** {@code node}, refused (naming the field) if it has a field not in {@code allowed}. */
  public static ObjectNode only(ObjectNode node, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw ApiError.invalid(f, "is not a known field; known fields: " + new TreeSet<>(allowed));
      }
    }
    return node;
  }

  public static String string(ObjectNode o, String field, boolean required, int maxChars) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw ApiError.invalid(field, "is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw ApiError.invalid(field, "must be a string, got " + kind(v));
    }
    if (v.asText().length() > maxChars) {
      throw ApiError.invalid(field, "must be at most " + maxChars + " characters");
    }
    return v.asText();
  }

  public static Long integer(ObjectNode o, String field, long min, long max) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ApiError.invalid(field, "must be a whole number, got " + kind(v));
    }
    long n = v.asLong();
    if (n < min || n > max) {
      throw ApiError.invalid(field, "must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  public static Boolean bool(ObjectNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw ApiError.invalid(field, "must be true or false, got " + kind(v));
    }
    return v.asBoolean();
  }

  public static List<String> strings(ObjectNode o, String field, int maxItems) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw ApiError.invalid(field, "is required");
    }
    if (!v.isArray()) {
      throw ApiError.invalid(field, "must be an array of strings, got " + kind(v));
    }
    if (v.size() < 1 || v.size() > maxItems) {
      throw ApiError.invalid(field, "must hold 1 to " + maxItems + " items, got " + v.size());
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw ApiError.invalid(field, "must be an array of strings, got an item of " + kind(item));
      }
      out.add(item.asText());
    }
    return out;
  }

  /** Stored bytes back as JSON: the JSON value they hold, or a string of their text. */
  public static JsonNode stored(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return MAPPER.nullNode();
    }
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      return MAPPER.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  /** A JSON value as bytes to store: its compact JSON text in UTF-8. */
  public static byte[] toBytes(JsonNode value) {
    if (value == null) {
      return new byte[0];
    }
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String kind(JsonNode v) {
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
