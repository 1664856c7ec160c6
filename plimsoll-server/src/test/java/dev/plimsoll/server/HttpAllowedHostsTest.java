package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code http.allowedHosts}: the {@code http} job type calls only allowed hosts, checks every
 * redirect hop, and a refused host sees no request. Two real targets on loopback: one on 127.0.0.1
 * (allowed in the tests that list it) and one on 127.0.0.2 (never listed).
 */
class HttpAllowedHostsTest {
  static HttpServer allowed;
  static HttpServer refused;
  static final AtomicInteger allowedCalls = new AtomicInteger();
  static final AtomicInteger refusedCalls = new AtomicInteger();

  @BeforeAll
  static void startTargets() throws Exception {
    refused = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 16);
    refused.createContext(
        "/",
        ex -> {
          refusedCalls.incrementAndGet();
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    refused.start();
    allowed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    allowed.createContext(
        "/ok",
        ex -> {
          allowedCalls.incrementAndGet();
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    allowed.createContext(
        "/hop",
        ex -> {
          allowedCalls.incrementAndGet();
          ex.getResponseHeaders().add("Location", "/ok");
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    allowed.createContext(
        "/away",
        ex -> {
          allowedCalls.incrementAndGet();
          ex.getResponseHeaders().add("Location", url(refused, "/secret"));
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    allowed.start();
  }

  @AfterAll
  static void stopTargets() {
    allowed.stop(0);
    refused.stop(0);
  }

  private static String url(HttpServer target, String path) {
    InetSocketAddress a = target.getAddress();
    return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + path;
  }

  private static ServerConfig.Builder allowing(String hosts) {
    return TestServer.config().set("http.allowedHosts", hosts);
  }

  private static JsonNode run(TestServer s, String url) {
    String id =
        s.submit("{\"type\":\"http\",\"maxAttempts\":3,\"payload\":{\"url\":\"" + url + "\"}}");
    await().atMost(Duration.ofSeconds(20)).until(() -> s.status(id).matches("SUCCEEDED|DEAD"));
    return s.get("/v1/jobs/" + id).json();
  }

  @Test
  void byDefaultALoopbackTargetIsRefusedForGoodNamingTheHostAndTheSettingAndSeesNoRequest() {
    int before = allowedCalls.get();
    try (TestServer s = TestServer.start(TestServer.config())) {
      JsonNode job = run(s, url(allowed, "/ok"));
      assertThat(job.get("status").asText()).isEqualTo("DEAD");
      assertThat(job.get("attempts").asInt()).isEqualTo(1);
      assertThat(job.get("error").asText())
          .contains("payload.url")
          .contains("host 127.0.0.1")
          .contains("http.allowedHosts");
    }
    assertThat(allowedCalls.get()).isEqualTo(before);
  }

  @Test
  void aListedRangeIsCalledAndARedirectWithinItIsFollowed() {
    int before = allowedCalls.get();
    try (TestServer s = TestServer.start(allowing("public,127.0.0.1/32"))) {
      assertThat(run(s, url(allowed, "/ok")).get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(run(s, url(allowed, "/hop")).get("status").asText()).isEqualTo("SUCCEEDED");
    }
    assertThat(allowedCalls.get() - before).isEqualTo(3);
  }

  @Test
  void aHostOutsideTheListIsRefusedEvenOnLoopbackAndSeesNoRequest() {
    int before = refusedCalls.get();
    try (TestServer s = TestServer.start(allowing("127.0.0.1"))) {
      JsonNode job = run(s, url(refused, "/secret"));
      assertThat(job.get("status").asText()).isEqualTo("DEAD");
      assertThat(job.get("error").asText())
          .contains("host 127.0.0.2")
          .contains("http.allowedHosts");
    }
    assertThat(refusedCalls.get()).isEqualTo(before);
  }

  @Test
  void aRedirectFromAnAllowedHostToARefusedOneIsNotFollowed() {
    int before = refusedCalls.get();
    try (TestServer s = TestServer.start(allowing("127.0.0.1"))) {
      JsonNode job = run(s, url(allowed, "/away"));
      assertThat(job.get("status").asText()).isEqualTo("DEAD");
      assertThat(job.get("attempts").asInt()).isEqualTo(1);
      assertThat(job.get("error").asText())
          .contains("host 127.0.0.2")
          .contains("http.allowedHosts");
    }
    assertThat(refusedCalls.get()).isEqualTo(before);
  }

  @Test
  void aNameEntryAllowsThatNameWhateverItResolvesTo() {
    int before = allowedCalls.get();
    try (TestServer s = TestServer.start(allowing("localhost"))) {
      String u = "http://localhost:" + allowed.getAddress().getPort() + "/ok";
      assertThat(run(s, u).get("status").asText()).isEqualTo("SUCCEEDED");
    }
    assertThat(allowedCalls.get() - before).isEqualTo(1);
  }

  @Test
  void aBadEntryIsAConfigErrorNamingTheKeyAndTheEntry() {
    for (String bad : new String[] {"10.0.0.0/33", "not a host", "*.", "10.0.0.0/x", "300.1.1.1"}) {
      assertThatThrownBy(() -> allowing(bad).build())
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("http.allowedHosts")
          .hasMessageContaining(bad.trim())
          .extracting(e -> ((ConfigException) e).key())
          .isEqualTo("http.allowedHosts");
    }
  }
}
