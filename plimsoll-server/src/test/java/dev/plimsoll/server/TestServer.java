package dev.plimsoll.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

/** A real server on an ephemeral loopback port and a small client for it. */
final class TestServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = "admin-token-0123456789";
  static final String ACME = "acme-client-token-0123";
  static final String GLOBEX = "globex-client-token-01";
  static final String WORKER = "worker-token-012345678";

  final PlimsollServer server;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(PlimsollServer server) {
    this.server = server;
  }

  /** Port 0, in-memory store, small pools: what most tests need. */
  static ServerConfig.Builder config() {
    return ServerConfig.builder()
        .set("server.port", "0")
        .set("store.kind", "memory")
        .set("engine.concurrency", "2")
        .set("process.maxConcurrency", "2")
        .set("server.maxThreads", "16")
        .set("shutdown.mode", "CANCEL_PENDING")
        .set("shutdown.grace", "2s");
  }

  /** {@link #config()} with an admin, two client tenants and a worker. */
  static ServerConfig.Builder withTokens() {
    return config()
        .token(ADMIN, "ops", Role.ADMIN)
        .token(ACME, "acme", Role.CLIENT)
        .token(GLOBEX, "globex", Role.CLIENT)
        .token(WORKER, "workers", Role.WORKER);
  }

  static TestServer start(ServerConfig.Builder config) {
    return start(config, b -> {});
  }

  static TestServer start(ServerConfig.Builder config, Consumer<PlimsollServer.Builder> extra) {
    PlimsollServer.Builder b = PlimsollServer.builder(config.build());
    extra.accept(b);
    return new TestServer(b.start());
  }

  int port() {
    return server.port();
  }

  Response get(String path, String... headers) {
    return call("GET", path, null, headers);
  }

  Response post(String path, String body, String... headers) {
    return call("POST", path, body, headers);
  }

  Response delete(String path, String... headers) {
    return call("DELETE", path, null, headers);
  }

  /** {@code headers} are name, value pairs; a lone token (no colon) is sent as a bearer token. */
  Response call(String method, String path, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(
          r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String[] bearer(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }

  /** Submits and returns the id, asserting 202. */
  String submit(String body, String... headers) {
    Response r = post("/v1/jobs", body, headers);
    if (r.status() != 202) {
      throw new AssertionError("expected 202, got " + r);
    }
    return r.json().get("id").asText();
  }

  String status(String id, String... headers) {
    return get("/v1/jobs/" + id, headers).json().get("status").asText();
  }

  @Override
  public void close() {
    server.close();
  }

  /** An answer: status, Retry-After header and body. */
  record Response(int status, String retryAfter, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    String code() {
      return json().path("error").path("code").asText(null);
    }

    String field() {
      return json().path("error").path("field").asText(null);
    }
  }
}
