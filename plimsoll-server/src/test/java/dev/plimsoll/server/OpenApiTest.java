package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document and the routes the server registers never drift apart. */
class OpenApiTest {

  @Test
  void everyRegisteredRouteIsDocumentedAndEveryDocumentedRouteIsRegistered() {
    try (TestServer s = TestServer.start(TestServer.config())) {
      JsonNode doc = s.get("/openapi.json").json();
      assertThat(doc.get("openapi").asText()).startsWith("3.");
      Set<String> documented = new TreeSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> p = doc.get("paths").fields(); p.hasNext(); ) {
        Map.Entry<String, JsonNode> path = p.next();
        path.getValue()
            .fieldNames()
            .forEachRemaining(
                m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
      }
      Set<String> registered = new TreeSet<>(s.server.routes());
      assertThat(documented).isEqualTo(registered);
      assertThat(registered).hasSize(18);
    }
  }

  @Test
  void everyDocumentedErrorResponseUsesTheErrorShapeAndEvery429Or503DeclaresRetryAfter() {
    try (TestServer s = TestServer.start(TestServer.config())) {
      JsonNode doc = s.get("/openapi.json").json();
      for (JsonNode path : doc.get("paths")) {
        for (JsonNode op : path) {
          for (Iterator<Map.Entry<String, JsonNode>> r = op.get("responses").fields();
              r.hasNext(); ) {
            Map.Entry<String, JsonNode> resp = r.next();
            int code = Integer.parseInt(resp.getKey());
            if ((code == 429 || code == 503)
                && op.get("operationId").asText().matches("live|ready|metrics|openapi") == false) {
              assertThat(resp.getValue().path("headers").has("Retry-After"))
                  .as(op.get("operationId") + " " + code)
                  .isTrue();
            }
            if (code >= 400 && !op.get("operationId").asText().equals("ready")) {
              assertThat(resp.getValue().toString())
                  .as(op.get("operationId") + " " + code)
                  .contains("#/components/schemas/Error");
            }
          }
        }
      }
    }
  }
}
