package dev.plimsoll.process.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.plimsoll.process.CommandRequest;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the JSON payload of a {@code command} job into a {@link CommandRequest}. Every error is an
 * {@link IllegalArgumentException} naming the field.
 *
 * <pre>{"argv":["sh","-c","echo hi"],"stdin":"...","env":{"K":"V"},"inheritEnv":true,
 *  "cwd":"/tmp","timeoutMillis":5000}</pre>
 */
public final class CommandPayload {
  /** Largest payload accepted, so a bad job cannot make the parser hold much. */
  public static final int MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;

  public static final int MAX_ARGS = 4096;
  public static final int MAX_ENV = 1024;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(8)
                  .maxStringLength(MAX_PAYLOAD_BYTES)
                  .build())
          .build();

  private CommandPayload() {}

  public static CommandRequest parse(byte[] payload) {
    if (payload == null || payload.length == 0) {
      throw new IllegalArgumentException(
          "payload must be a JSON object with field 'argv', was empty");
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "payload is " + payload.length + " bytes, over the limit of " + MAX_PAYLOAD_BYTES);
    }
    try (JsonParser p = JSON.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("payload must be a JSON object");
      }
      List<String> argv = null;
      String stdin = null;
      List<String[]> env = new ArrayList<>();
      Boolean inheritEnv = null;
      String cwd = null;
      Long timeoutMillis = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "argv" -> argv = stringArray(p, value);
          case "stdin" -> stdin = string(p, value, "stdin");
          case "env" -> readEnv(p, value, env);
          case "inheritEnv" -> {
            if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
              throw new IllegalArgumentException("inheritEnv must be true or false");
            }
            inheritEnv = p.getBooleanValue();
          }
          case "cwd" -> cwd = string(p, value, "cwd");
          case "timeoutMillis" -> {
            if (value != JsonToken.VALUE_NUMBER_INT) {
              throw new IllegalArgumentException("timeoutMillis must be an integer number of ms");
            }
            long ms = p.getLongValue();
            if (ms < 1 || ms > Duration.ofDays(1).toMillis()) {
              throw new IllegalArgumentException(
                  "timeoutMillis must be between 1 and 86400000, was " + ms);
            }
            timeoutMillis = ms;
          }
          default ->
              throw new IllegalArgumentException(
                  "unknown field '"
                      + field
                      + "' (known: argv, stdin, env, inheritEnv, cwd, timeoutMillis)");
        }
      }
      if (p.nextToken() != null) {
        throw new IllegalArgumentException(
            "payload must hold one JSON object and nothing after it");
      }
      if (argv == null) {
        throw new IllegalArgumentException("argv is required: a non-empty array of strings");
      }
      CommandRequest.Builder b = CommandRequest.builder(argv);
      if (stdin != null) {
        b.stdin(stdin);
      }
      for (String[] kv : env) {
        b.env(kv[0], kv[1]);
      }
      if (inheritEnv != null) {
        b.inheritEnvironment(inheritEnv);
      }
      if (cwd != null) {
        b.cwd(path(cwd));
      }
      if (timeoutMillis != null) {
        b.timeout(Duration.ofMillis(timeoutMillis));
      }
      return b.build();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("payload is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("payload could not be read: " + e.getMessage(), e);
    }
  }

  private static Path path(String cwd) {
    try {
      Path dir = Path.of(cwd);
      if (!dir.isAbsolute()) {
        throw new IllegalArgumentException("cwd must be an absolute path, was '" + cwd + "'");
      }
      return dir;
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("cwd is not a valid path: " + e.getMessage(), e);
    }
  }

  private static List<String> stringArray(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw new IllegalArgumentException("argv must be a non-empty array of strings");
    }
    List<String> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (out.size() == MAX_ARGS) {
        throw new IllegalArgumentException("argv has more than " + MAX_ARGS + " elements");
      }
      out.add(string(p, t, "argv[" + out.size() + "]"));
    }
    return out;
  }

  private static void readEnv(JsonParser p, JsonToken value, List<String[]> env)
      throws IOException {
    if (value != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("env must be an object of string values");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (env.size() == MAX_ENV) {
        throw new IllegalArgumentException("env has more than " + MAX_ENV + " variables");
      }
      env.add(new String[] {name, string(p, p.nextToken(), "env." + name)});
    }
  }

  private static String string(JsonParser p, JsonToken t, String field) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return p.getText();
  }
}
