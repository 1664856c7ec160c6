package dev.plimsoll.process.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;

/**
 * The persistent-worker wire format (see docs/process-pool.md): one JSON object per line.
 *
 * <pre>request  {"id":7,"payload":&lt;any JSON value&gt;}
 * response {"id":7,"ok":true,"result":&lt;any JSON value&gt;}
 *          {"id":7,"ok":false,"error":"message"}</pre>
 */
public final class WorkerProtocol {
  private static final JsonFactory JSON = new JsonFactory();

  private WorkerProtocol() {}

  /**
   * Checks that {@code json} is exactly one JSON value and returns it compact (no newlines).
   *
   * @throws IllegalArgumentException naming {@code field} when it is not
   */
  public static String compact(String json, String field) {
    StringWriter out = new StringWriter(json.length());
    try (JsonParser p = JSON.createParser(json);
        JsonGenerator g = JSON.createGenerator(out)) {
      if (p.nextToken() == null) {
        throw new IllegalArgumentException(field + " must be one JSON value, was empty");
      }
      g.copyCurrentStructure(p);
      if (p.nextToken() != null) {
        throw new IllegalArgumentException(field + " must be one JSON value, found more after it");
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          field + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(field + " could not be read: " + e.getMessage(), e);
    }
    return out.toString();
  }

  /** The request line (without newline) for a compacted payload. */
  public static String request(long id, String compactPayload) {
    return "{\"id\":" + id + ",\"payload\":" + compactPayload + "}";
  }

  /** A parsed response line. {@code result} is compact JSON text when {@code ok}. */
  public record Response(long id, boolean ok, String result, String error) {}

  /**
   * Parses a response line.
   *
   * @throws IllegalArgumentException the line is not a valid response (says why)
   */
  public static Response response(String line) {
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("response is not a JSON object");
      }
      Long id = null;
      Boolean ok = null;
      String result = "null";
      String error = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "id" -> {
            if (t != JsonToken.VALUE_NUMBER_INT) {
              throw new IllegalArgumentException("response id is not an integer");
            }
            id = p.getLongValue();
          }
          case "ok" -> {
            if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
              throw new IllegalArgumentException("response ok is not true/false");
            }
            ok = p.getBooleanValue();
          }
          case "result" -> result = compactValue(p);
          case "error" -> error = t == JsonToken.VALUE_STRING ? p.getText() : compactValue(p);
          default -> p.skipChildren(); // unknown fields are ignored (forward compatibility)
        }
      }
      if (id == null || ok == null) {
        throw new IllegalArgumentException("response lacks field " + (id == null ? "id" : "ok"));
      }
      return new Response(id, ok, result, ok ? null : (error == null ? "(no message)" : error));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "response is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("response could not be read: " + e.getMessage(), e);
    }
  }

  private static String compactValue(JsonParser p) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.copyCurrentStructure(p);
    }
    return out.toString();
  }
}
