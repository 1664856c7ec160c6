package dev.plimsoll.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plimsoll.server.internal.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plimsoll submit TYPE}: submits one job and prints {@code {id,status}}. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submit a job to a running server and print its id and status.",
      "",
      "  plimsoll submit command --payload '{\"argv\":[\"sh\",\"-c\",\"echo hi\"]}'",
      "  plimsoll submit http --payload '{\"url\":\"https://example.org/hook\",\"method\":\"POST\"}'",
      ""
    })
final class SubmitCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Parameters(index = "0", paramLabel = "TYPE", description = "job type, e.g. command or http")
  String type;

  @Option(names = "--payload", paramLabel = "JSON", description = "the payload, any JSON value")
  String payload;

  @Option(names = "--queue", paramLabel = "NAME", description = "queue (default: default)")
  String queue;

  @Option(names = "--priority", paramLabel = "0-9", description = "priority (default 5)")
  Integer priority;

  @Option(names = "--delay-ms", paramLabel = "MS", description = "run no earlier than this")
  Long delayMillis;

  @Option(names = "--max-attempts", paramLabel = "N", description = "attempts in all")
  Integer maxAttempts;

  @Option(names = "--timeout-ms", paramLabel = "MS", description = "attempt timeout")
  Long timeoutMillis;

  @Option(names = "--idempotency-key", paramLabel = "KEY", description = "de-duplication key")
  String idempotencyKey;

  @Override
  public Integer call() {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("type", type);
    if (payload != null) {
      try {
        JsonNode p = Json.MAPPER.readTree(payload);
        body.set("payload", p);
      } catch (IOException e) {
        System.err.println("plimsoll: --payload is not valid JSON: " + e.getMessage());
        return 2;
      }
    }
    if (queue != null) {
      body.put("queue", queue);
    }
    if (priority != null) {
      body.put("priority", priority);
    }
    if (delayMillis != null) {
      body.put("delayMillis", delayMillis);
    }
    if (maxAttempts != null) {
      body.put("maxAttempts", maxAttempts);
    }
    if (timeoutMillis != null) {
      body.put("timeoutMillis", timeoutMillis);
    }
    Map<String, String> headers = new HashMap<>();
    if (idempotencyKey != null) {
      headers.put("Idempotency-Key", idempotencyKey);
    }
    return client.send("POST", "/v1/jobs", body.toString(), headers);
  }
}
