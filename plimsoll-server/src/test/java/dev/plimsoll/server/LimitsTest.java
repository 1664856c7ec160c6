package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.PressureSignal;
import dev.plimsoll.SettableClock;
import dev.plimsoll.server.TestServer.Response;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits that hold under abuse: size, queue, memory, slow clients, connections. */
class LimitsTest {

  private static ServerConfig.Builder small() {
    return TestServer.config().set("server.maxBodyBytes", "1KiB");
  }

  @Test
  void aBodyDeclaredLargerThanTheCapIs413BeforeItIsRead() throws Exception {
    try (TestServer s = TestServer.start(small());
        RawHttp raw = new RawHttp(s.port(), 5_000)) {
      String answer =
          raw.send(
                  RawHttp.head(
                      "POST",
                      "/v1/jobs",
                      "Content-Type: application/json",
                      "Content-Length: 50000000"))
              .readAll();
      assertThat(answer).startsWith("HTTP/1.1 413");
      assertThat(answer).contains("\"code\":\"payload_too_large\"").contains("\"field\":\"body\"");
      assertThat(s.server.engine().stats().totalQueued()).isZero();
    }
  }

  @Test
  void aChunkedBodyThatGrowsPastTheCapIs413() throws Exception {
    try (TestServer s = TestServer.start(small());
        RawHttp raw = new RawHttp(s.port(), 5_000)) {
      raw.send(
          RawHttp.head(
              "POST", "/v1/jobs", "Content-Type: application/json", "Transfer-Encoding: chunked"));
      String chunk = "{\"type\":\"remote.x\",\"payload\":\"" + "a".repeat(600);
      raw.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
      String more = "b".repeat(600) + "\"}";
      raw.send(Integer.toHexString(more.length()) + "\r\n" + more + "\r\n0\r\n\r\n");
      String answer = raw.readAll();
      assertThat(answer).startsWith("HTTP/1.1 413").contains("payload_too_large");
      assertThat(s.server.engine().stats().totalQueued()).isZero();
    }
  }

  @Test
  void aHugeBodyFromAnOrdinaryClientIs413AndAPayloadJustUnderTheCapIsAccepted() {
    try (TestServer s = TestServer.start(small())) {
      Response huge =
          s.post("/v1/jobs", "{\"type\":\"remote.x\",\"payload\":\"" + "x".repeat(4096) + "\"}");
      assertThat(huge.status()).isEqualTo(413);
      assertThat(huge.code()).isEqualTo("payload_too_large");
      String fits = "{\"type\":\"remote.x\",\"payload\":\"" + "x".repeat(900) + "\"}";
      assertThat(s.post("/v1/jobs", fits).status()).isEqualTo(202);
      assertThat(s.server.engine().stats().totalQueued()).isEqualTo(1);
    }
  }

  @Test
  void aStalledBodyIsCutOffAtTheIdleTimeoutAndStoresNothing() throws Exception {
    try (TestServer s = TestServer.start(small().set("server.idleTimeout", "300ms"));
        RawHttp raw = new RawHttp(s.port(), 10_000)) {
      raw.send(
          RawHttp.head(
              "POST", "/v1/jobs", "Content-Type: application/json", "Content-Length: 200"));
      raw.send("{\"type\":\"remote.x\",");
      long start = System.nanoTime();
      String answer =
          raw.readAll(); // the server answers an error and/or closes; no reply would time out
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(tookMs).isLessThan(5_000);
      assertThat(answer)
          .satisfiesAnyOf(
              a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 4"));
      assertThat(s.server.engine().stats().totalQueued()).isZero();
    }
  }

  @Test
  void aBodyThatTricklesPastTheBodyTimeoutIs408AndStoresNothing() throws Exception {
    SettableClock clock = SettableClock.atFixedStart();
    try (TestServer s =
            TestServer.start(small().set("server.bodyTimeout", "5s"), b -> b.clock(clock));
        RawHttp raw = new RawHttp(s.port(), 10_000)) {
      raw.send(RawHttp.head("POST", "/v1/jobs", "Content-Length: 900")).send("{");
      String[] answer = new String[1];
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                clock.advance(Duration.ofSeconds(6)); // each byte arrives "6 s" after the last
                raw.send(" ");
                answer[0] = raw.tryRead(100);
                return answer[0] != null;
              });
      assertThat(answer[0]).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"");
      assertThat(s.server.engine().stats().totalQueued()).isZero();
    }
  }

  @Test
  void manySlowClientsHoldAtMostTheBoundedThreadsAndAreCutOffSoOthersAreServedAgain()
      throws Exception {
    try (TestServer s = TestServer.start(small().set("server.idleTimeout", "500ms"))) {
      List<RawHttp> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 40; i++) {
          RawHttp r = new RawHttp(s.port(), 10_000);
          r.send(RawHttp.head("POST", "/v1/jobs", "Content-Length: 500")).send("{");
          slow.add(r);
        }
        assertThat(httpThreads()).isLessThanOrEqualTo(16);
        for (RawHttp r : slow) {
          String answer = r.readAll(); // cut off by the server, not by this read timeout
          assertThat(answer)
              .satisfiesAnyOf(
                  a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 4"));
        }
      } finally {
        for (RawHttp r : slow) {
          r.close();
        }
      }
      assertThat(httpThreads()).isLessThanOrEqualTo(16);
      assertThat(s.post("/v1/jobs", "{\"type\":\"remote.x\"}").status()).isEqualTo(202);
      assertThat(s.server.engine().stats().totalQueued()).isEqualTo(1);
    }
  }

  private static long httpThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("plimsoll-http-"))
        .count();
  }

  @Test
  void connectionsBeyondTheLimitWaitUntilOneCloses() throws Exception {
    try (TestServer s = TestServer.start(small().set("server.maxConnections", "3"))) {
      List<RawHttp> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          RawHttp r = new RawHttp(s.port(), 5_000);
          r.send(RawHttp.head("GET", "/health/live")).readAll(); // accepted, kept alive
          held.add(r);
        }
        try (RawHttp extra = new RawHttp(s.port(), 700)) {
          extra.send(RawHttp.head("GET", "/health/live"));
          assertThatThrownBy(extra::readAll).isInstanceOf(SocketTimeoutException.class);
          held.remove(0).close();
          extra.socket.setSoTimeout(5_000);
          assertThat(extra.readAll()).startsWith("HTTP/1.1 200");
        }
      } finally {
        for (RawHttp r : held) {
          r.close();
        }
      }
    }
  }

  @Test
  void aFullQueueIs429WithRetryAfterAndStoresNothing() {
    try (TestServer s = TestServer.start(TestServer.config().set("engine.queue.capacity", "2"))) {
      s.submit("{\"type\":\"remote.x\"}");
      s.submit("{\"type\":\"remote.x\"}");
      Response full = s.post("/v1/jobs", "{\"type\":\"remote.x\"}");
      assertThat(full.status()).isEqualTo(429);
      assertThat(full.code()).isEqualTo("queue_full");
      assertThat(full.retryAfter()).isEqualTo("1");
      assertThat(s.get("/v1/jobs").json().get("jobs")).hasSize(2);
    }
  }

  @Test
  void memoryPressureIs503WithRetryAfterAndStoresNothingUntilItPasses() {
    Pressure pressure = new Pressure();
    try (TestServer s =
        TestServer.start(
            TestServer.config().set("server.retryAfter", "3s"), b -> b.pressure(pressure))) {
      pressure.reason = "heap after GC 91% >= 85% of max";
      Response shed = s.post("/v1/jobs", "{\"type\":\"remote.x\"}");
      assertThat(shed.status()).isEqualTo(503);
      assertThat(shed.code()).isEqualTo("memory_pressure");
      assertThat(shed.retryAfter()).isEqualTo("3");
      assertThat(shed.json().path("error").path("message").asText()).contains("heap after GC 91%");
      assertThat(s.get("/v1/jobs").json().get("jobs")).isEmpty();
      pressure.reason = null;
      assertThat(s.post("/v1/jobs", "{\"type\":\"remote.x\"}").status()).isEqualTo(202);
    }
  }

  /** A pressure signal a test turns on and off. */
  static final class Pressure implements PressureSignal {
    volatile String reason;

    @Override
    public String shedReason() {
      return reason;
    }

    @Override
    public List<String> healthReasons() {
      return reason == null ? List.of() : List.of(reason);
    }
  }
}
