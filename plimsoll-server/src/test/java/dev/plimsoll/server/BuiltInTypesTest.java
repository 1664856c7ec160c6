package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in job types: {@code command} through the process pool, {@code http} to a URL. */
class BuiltInTypesTest {
  static TestServer s;
  static HttpServer target;
  static final AtomicInteger flakyCalls = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    s =
        TestServer.start(
            TestServer.config()
                .set("engine.backoff.initial", "10ms")
                .set("engine.backoff.max", "10ms")
                .set("http.allowedHosts", "127.0.0.1"));
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    target.createContext(
        "/ok",
        ex -> {
          byte[] body =
              ("got "
                      + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                      + " via "
                      + ex.getRequestMethod())
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    target.createContext(
        "/missing",
        ex -> {
          ex.sendResponseHeaders(404, -1);
          ex.close();
        });
    target.createContext(
        "/flaky",
        ex -> {
          flakyCalls.incrementAndGet();
          ex.sendResponseHeaders(503, -1);
          ex.close();
        });
    target.start();
  }

  @AfterAll
  static void stop() {
    s.close();
    target.stop(0);
  }

  private static JsonNode finished(String id) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              String st = s.status(id);
              return st.equals("SUCCEEDED") || st.equals("DEAD") || st.equals("CANCELLED");
            });
    return s.get("/v1/jobs/" + id).json();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + target.getAddress().getPort() + path;
  }

  @Test
  void aCommandJobRunsAChildProcessAndStoresItsStdout() {
    String id =
        s.submit(
            "{\"type\":\"command\",\"payload\":{\"argv\":[\"sh\",\"-c\",\"echo hello $WHO\"],\"env\":{\"WHO\":\"plimsoll\"}}}");
    JsonNode job = finished(id);
    assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.get("result").asText()).isEqualTo("hello plimsoll\n");
  }

  @Test
  void aCommandThatExitsNonZeroFailsEveryAttemptAndGoesDead() {
    String id =
        s.submit(
            "{\"type\":\"command\",\"maxAttempts\":2,\"payload\":{\"argv\":[\"sh\",\"-c\",\"echo oops >&2; exit 3\"]}}");
    JsonNode job = finished(id);
    assertThat(job.get("status").asText()).isEqualTo("DEAD");
    assertThat(job.get("attempts").asInt()).isEqualTo(2);
    assertThat(job.get("error").asText()).contains("3");
  }

  @Test
  void aCommandPayloadWithoutArgvGoesDeadAtOnceNamingTheField() {
    String id = s.submit("{\"type\":\"command\",\"payload\":{\"args\":[\"true\"]}}");
    JsonNode job = finished(id);
    assertThat(job.get("status").asText()).isEqualTo("DEAD");
    assertThat(job.get("attempts").asInt()).isEqualTo(1);
    assertThat(job.get("error").asText()).contains("argv");
  }

  @Test
  void anHttpJobSucceedsOn2xxAndStoresTheStatusAndBody() {
    String id =
        s.submit(
            "{\"type\":\"http\",\"payload\":{\"url\":\""
                + url("/ok")
                + "\",\"method\":\"POST\",\"body\":\"ping\"}}");
    JsonNode job = finished(id);
    assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.get("result").get("status").asInt()).isEqualTo(200);
    assertThat(job.get("result").get("body").asText()).isEqualTo("got ping via POST");
  }

  @Test
  void anHttpJobFailsForGoodOnA4xx() {
    String id =
        s.submit(
            "{\"type\":\"http\",\"maxAttempts\":3,\"payload\":{\"url\":\""
                + url("/missing")
                + "\"}}");
    JsonNode job = finished(id);
    assertThat(job.get("status").asText()).isEqualTo("DEAD");
    assertThat(job.get("attempts").asInt()).isEqualTo(1);
    assertThat(job.get("error").asText()).contains("404");
  }

  @Test
  void anHttpJobIsRetriedOnA5xxUntilItsAttemptsAreUsed() {
    int before = flakyCalls.get();
    String id =
        s.submit(
            "{\"type\":\"http\",\"maxAttempts\":3,\"payload\":{\"url\":\""
                + url("/flaky")
                + "\"}}");
    JsonNode job = finished(id);
    assertThat(job.get("status").asText()).isEqualTo("DEAD");
    assertThat(job.get("attempts").asInt()).isEqualTo(3);
    assertThat(flakyCalls.get() - before).isEqualTo(3);
    assertThat(job.get("error").asText()).contains("503");
  }

  @Test
  void anHttpJobWithABadPayloadGoesDeadAtOnceNamingTheField() {
    JsonNode noUrl = finished(s.submit("{\"type\":\"http\",\"payload\":{\"method\":\"GET\"}}"));
    assertThat(noUrl.get("error").asText()).contains("payload.url");
    JsonNode ftp =
        finished(s.submit("{\"type\":\"http\",\"payload\":{\"url\":\"ftp://example.org/x\"}}"));
    assertThat(ftp.get("error").asText()).contains("payload.url");
    JsonNode extra =
        finished(
            s.submit(
                "{\"type\":\"http\",\"payload\":{\"url\":\""
                    + url("/ok")
                    + "\",\"verb\":\"GET\"}}"));
    assertThat(extra.get("error").asText()).contains("payload.verb");
    assertThat(extra.get("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void anHttpJobTimesOutAtItsTimeout() throws Exception {
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String id =
          s.submit(
              "{\"type\":\"http\",\"maxAttempts\":1,\"payload\":{\"url\":\"http://127.0.0.1:"
                  + silent.getLocalPort()
                  + "/\",\"timeoutMillis\":300}}");
      JsonNode job = finished(id);
      assertThat(job.get("status").asText()).isEqualTo("DEAD");
      assertThat(job.get("error").asText()).contains("timed out");
    }
  }
}
