package dev.plimsoll.server;

import static dev.plimsoll.server.TestServer.ACME;
import static dev.plimsoll.server.TestServer.ADMIN;
import static dev.plimsoll.server.TestServer.WORKER;
import static dev.plimsoll.server.TestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plimsoll.SettableClock;
import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.memory.InMemoryJobStore;
import dev.plimsoll.server.TestServer.Response;
import dev.plimsoll.spi.JobStore;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One scenario per (method, path, status) that openapi.json documents, each provoking that answer
 * on a real server and checking the status, the error code and, where it matters, the field and
 * Retry-After; and the set of scenarios equals the set of documented answers, so a status
 * documented without a scenario (or a scenario for an undocumented one) fails the build. Scenarios
 * share one server per group of state they need (see {@link Group}).
 */
class EveryDocumentedResponseTest {
  private static final String NO_SUCH = "01890000-0000-7000-8000-000000000000";
  private static final String[] NONE = {};
  private static final String[] BAD_TOKEN = bearer("not-a-known-token-000000");

  /** The server state a scenario needs; each group's server is started on first use. */
  enum Group {
    /** Tokens, a 1 KiB body cap. */
    MAIN,
    /** Queue capacity 1 and one waiting claim at most: 429s. */
    FULL,
    /** Memory pressure on. */
    PRESSURE,
    /** A store that fails every call while {@link #storeDown} is set. */
    STORE_DOWN,
    /** A settable clock the 408 scenarios drive past server.bodyTimeout. */
    SLOW,
    /** Shutting down (draining a running job). */
    CLOSING
  }

  /** How one documented answer is provoked and what it must look like. */
  record Scenario(
      String key,
      Group group,
      int status,
      String code,
      String field,
      boolean retryAfter,
      Function<TestServer, Response> send) {}

  private static final List<Scenario> SCENARIOS = new ArrayList<>();
  private static final Map<Group, TestServer> SERVERS = new EnumMap<>(Group.class);
  private static final AtomicBoolean storeDown = new AtomicBoolean();
  private static final SettableClock slowClock = SettableClock.atFixedStart();
  private static final CountDownLatch releaseDrain = new CountDownLatch(1);
  private static Thread closer;

  static {
    for (String p : List.of("/health/live", "/metrics", "/openapi.json", "/health/ready")) {
      ok("GET " + p, 200, s -> s.get(p));
    }
    err(
        "GET /health/ready",
        Group.STORE_DOWN,
        503,
        null,
        null,
        false,
        s -> down(() -> s.get("/health/ready")));
    ok("GET /v1/stats", 200, s -> s.get("/v1/stats", bearer(ADMIN)));
    authErrors(
        "GET /v1/stats", s -> s.get("/v1/stats", BAD_TOKEN), s -> s.get("/v1/stats", bearer(ACME)));

    // Jobs.
    ok("POST /v1/jobs", 202, s -> s.post("/v1/jobs", "{\"type\":\"remote.x\"}", bearer(ACME)));
    invalid(
        "POST /v1/jobs",
        "priority",
        s -> s.post("/v1/jobs", "{\"type\":\"remote.x\",\"priority\":10}", bearer(ACME)));
    authErrors(
        "POST /v1/jobs",
        s -> s.post("/v1/jobs", "{}", BAD_TOKEN),
        s -> s.post("/v1/jobs", "{}", bearer(WORKER)));
    bodyErrors("POST /v1/jobs", "/v1/jobs", ACME);
    err(
        "POST /v1/jobs",
        Group.FULL,
        429,
        "queue_full",
        null,
        true,
        s -> {
          s.post("/v1/jobs", "{\"type\":\"remote.fill\"}", bearer(ACME));
          return s.post("/v1/jobs", "{\"type\":\"remote.fill\"}", bearer(ACME));
        });
    err(
        "POST /v1/jobs",
        Group.PRESSURE,
        503,
        "memory_pressure",
        null,
        true,
        s -> s.post("/v1/jobs", "{\"type\":\"remote.x\"}", bearer(ACME)));

    String two = "{\"jobs\":[{\"type\":\"remote.x\"},{\"type\":\"remote.x\"}]}";
    ok("POST /v1/jobs/batch", 202, s -> s.post("/v1/jobs/batch", two, bearer(ACME)));
    invalid(
        "POST /v1/jobs/batch",
        "jobs[1].priority",
        s ->
            s.post(
                "/v1/jobs/batch",
                "{\"jobs\":[{\"type\":\"remote.x\"},{\"type\":\"remote.x\",\"priority\":10}]}",
                bearer(ACME)));
    authErrors(
        "POST /v1/jobs/batch",
        s -> s.post("/v1/jobs/batch", two, BAD_TOKEN),
        s -> s.post("/v1/jobs/batch", two, bearer(WORKER)));
    bodyErrors("POST /v1/jobs/batch", "/v1/jobs/batch", ACME);
    err(
        "POST /v1/jobs/batch",
        Group.FULL,
        429,
        "queue_full",
        null,
        true,
        s ->
            s.post(
                "/v1/jobs/batch",
                "{\"jobs\":[{\"type\":\"remote.fill\"},{\"type\":\"remote.fill\"}]}",
                bearer(ACME)));
    err(
        "POST /v1/jobs/batch",
        Group.PRESSURE,
        503,
        "memory_pressure",
        null,
        true,
        s -> s.post("/v1/jobs/batch", two, bearer(ACME)));

    ok("GET /v1/jobs", 200, s -> s.get("/v1/jobs", bearer(ACME)));
    invalid("GET /v1/jobs", "status", s -> s.get("/v1/jobs?status=bogus", bearer(ACME)));
    authErrors(
        "GET /v1/jobs", s -> s.get("/v1/jobs", BAD_TOKEN), s -> s.get("/v1/jobs", bearer(WORKER)));
    unavailable("GET /v1/jobs", s -> s.get("/v1/jobs", bearer(ACME)));

    ok("GET /v1/jobs/{id}", 200, s -> s.get("/v1/jobs/" + submit(s, "remote.x"), bearer(ACME)));
    invalid("GET /v1/jobs/{id}", "id", s -> s.get("/v1/jobs/nope", bearer(ACME)));
    authErrors(
        "GET /v1/jobs/{id}",
        s -> s.get("/v1/jobs/" + NO_SUCH, BAD_TOKEN),
        s -> s.get("/v1/jobs/" + NO_SUCH, bearer(WORKER)));
    notFound("GET /v1/jobs/{id}", s -> s.get("/v1/jobs/" + NO_SUCH, bearer(ACME)));
    unavailable("GET /v1/jobs/{id}", s -> s.get("/v1/jobs/" + NO_SUCH, bearer(ACME)));

    ok(
        "POST /v1/jobs/{id}/cancel",
        200,
        s -> s.post("/v1/jobs/" + submit(s, "remote.x") + "/cancel", "", bearer(ACME)));
    invalid(
        "POST /v1/jobs/{id}/cancel", "id", s -> s.post("/v1/jobs/nope/cancel", "", bearer(ACME)));
    authErrors(
        "POST /v1/jobs/{id}/cancel",
        s -> s.post("/v1/jobs/" + NO_SUCH + "/cancel", "", BAD_TOKEN),
        s -> s.post("/v1/jobs/" + NO_SUCH + "/cancel", "", bearer(WORKER)));
    notFound(
        "POST /v1/jobs/{id}/cancel",
        s -> s.post("/v1/jobs/" + NO_SUCH + "/cancel", "", bearer(ACME)));
    err(
        "POST /v1/jobs/{id}/cancel",
        Group.MAIN,
        409,
        "not_cancellable",
        null,
        false,
        s -> {
          String id = submit(s, "remote.x");
          s.post("/v1/jobs/" + id + "/cancel", "", bearer(ACME));
          return s.post("/v1/jobs/" + id + "/cancel", "", bearer(ACME));
        });
    unavailable(
        "POST /v1/jobs/{id}/cancel",
        s -> s.post("/v1/jobs/" + NO_SUCH + "/cancel", "", bearer(ACME)));

    // The dead-letter queue.
    ok("GET /v1/dead", 200, s -> s.get("/v1/dead", bearer(ACME)));
    invalid("GET /v1/dead", "status", s -> s.get("/v1/dead?status=DEAD", bearer(ACME)));
    authErrors(
        "GET /v1/dead", s -> s.get("/v1/dead", BAD_TOKEN), s -> s.get("/v1/dead", bearer(WORKER)));
    unavailable("GET /v1/dead", s -> s.get("/v1/dead", bearer(ACME)));

    ok("DELETE /v1/dead", 200, s -> s.delete("/v1/dead", bearer(ADMIN)));
    authErrors(
        "DELETE /v1/dead",
        s -> s.delete("/v1/dead", BAD_TOKEN),
        s -> s.delete("/v1/dead", bearer(ACME)));
    unavailable("DELETE /v1/dead", s -> s.delete("/v1/dead", bearer(ADMIN)));

    ok("DELETE /v1/dead/{id}", 204, s -> s.delete("/v1/dead/" + deadJob(s), bearer(ACME)));
    invalid("DELETE /v1/dead/{id}", "id", s -> s.delete("/v1/dead/nope", bearer(ACME)));
    authErrors(
        "DELETE /v1/dead/{id}",
        s -> s.delete("/v1/dead/" + NO_SUCH, BAD_TOKEN),
        s -> s.delete("/v1/dead/" + NO_SUCH, bearer(WORKER)));
    notFound(
        "DELETE /v1/dead/{id}", s -> s.delete("/v1/dead/" + submit(s, "remote.x"), bearer(ACME)));
    unavailable("DELETE /v1/dead/{id}", s -> s.delete("/v1/dead/" + NO_SUCH, bearer(ACME)));

    ok(
        "POST /v1/dead/{id}/retry",
        200,
        s -> s.post("/v1/dead/" + deadJob(s) + "/retry", "", bearer(ACME)));
    invalid("POST /v1/dead/{id}/retry", "id", s -> s.post("/v1/dead/nope/retry", "", bearer(ACME)));
    authErrors(
        "POST /v1/dead/{id}/retry",
        s -> s.post("/v1/dead/" + NO_SUCH + "/retry", "", BAD_TOKEN),
        s -> s.post("/v1/dead/" + NO_SUCH + "/retry", "", bearer(WORKER)));
    notFound(
        "POST /v1/dead/{id}/retry",
        s -> s.post("/v1/dead/" + NO_SUCH + "/retry", "", bearer(ACME)));
    unavailable(
        "POST /v1/dead/{id}/retry",
        s -> s.post("/v1/dead/" + NO_SUCH + "/retry", "", bearer(ACME)));

    // Remote workers.
    String claim = "{\"workerId\":\"w1\",\"types\":[\"remote.none\"],\"waitMillis\":0}";
    ok("POST /v1/workers/claim", 200, s -> s.post("/v1/workers/claim", claim, bearer(WORKER)));
    invalid(
        "POST /v1/workers/claim",
        "workerId",
        s -> s.post("/v1/workers/claim", "{\"types\":[\"x\"]}", bearer(WORKER)));
    authErrors(
        "POST /v1/workers/claim",
        s -> s.post("/v1/workers/claim", claim, BAD_TOKEN),
        s -> s.post("/v1/workers/claim", claim, bearer(ACME)));
    bodyErrors("POST /v1/workers/claim", "/v1/workers/claim", WORKER);
    err(
        "POST /v1/workers/claim",
        Group.FULL,
        429,
        "capacity_exceeded",
        null,
        true,
        EveryDocumentedResponseTest::secondWaitingClaim);
    err(
        "POST /v1/workers/claim",
        Group.CLOSING,
        503,
        "shutting_down",
        null,
        true,
        s -> s.post("/v1/workers/claim", claim, bearer(WORKER)));

    for (String verb : List.of("heartbeat", "complete", "fail")) {
      String key = "POST /v1/jobs/{id}/" + verb;
      String extra = verb.equals("fail") ? ",\"error\":\"boom\"" : "";
      ok(
          key,
          200,
          s -> {
            Lease lease = lease(s);
            return s.post(
                "/v1/jobs/" + lease.id() + "/" + verb,
                "{\"token\":" + lease.token() + extra + "}",
                bearer(WORKER));
          });
      invalid(key, "token", s -> s.post("/v1/jobs/" + NO_SUCH + "/" + verb, "{}", bearer(WORKER)));
      authErrors(
          key,
          s -> s.post("/v1/jobs/" + NO_SUCH + "/" + verb, "{}", BAD_TOKEN),
          s -> s.post("/v1/jobs/" + NO_SUCH + "/" + verb, "{}", bearer(ACME)));
      bodyErrors(key, "/v1/jobs/" + NO_SUCH + "/" + verb, WORKER);
      err(
          key,
          Group.MAIN,
          409,
          "lease_lost",
          null,
          false,
          s ->
              s.post(
                  "/v1/jobs/" + NO_SUCH + "/" + verb,
                  "{\"token\":7" + extra + "}",
                  bearer(WORKER)));
      err(
          key,
          Group.STORE_DOWN,
          503,
          "store_unavailable",
          null,
          true,
          s -> {
            Lease lease = lease(s);
            String id = lease.id();
            return down(
                () ->
                    s.post(
                        "/v1/jobs/" + id + "/" + verb,
                        "{\"token\":" + lease.token() + extra + "}",
                        bearer(WORKER)));
          });
    }
  }

  // ---- the scenario vocabulary ----

  private static void err(
      String key,
      Group g,
      int status,
      String code,
      String field,
      boolean retry,
      Function<TestServer, Response> send) {
    SCENARIOS.add(new Scenario(key + " " + status, g, status, code, field, retry, send));
  }

  private static void ok(String key, int status, Function<TestServer, Response> send) {
    err(key, Group.MAIN, status, null, null, false, send);
  }

  private static void invalid(String key, String field, Function<TestServer, Response> send) {
    err(key, Group.MAIN, 400, "invalid", field, false, send);
  }

  private static void notFound(String key, Function<TestServer, Response> send) {
    err(key, Group.MAIN, 404, "not_found", null, false, send);
  }

  private static void authErrors(
      String key,
      Function<TestServer, Response> badToken,
      Function<TestServer, Response> wrongRole) {
    err(key, Group.MAIN, 401, "unauthorized", "Authorization", false, badToken);
    err(key, Group.MAIN, 403, "forbidden", null, false, wrongRole);
  }

  private static void unavailable(String key, Function<TestServer, Response> send) {
    err(
        key,
        Group.STORE_DOWN,
        503,
        "store_unavailable",
        null,
        true,
        s -> down(() -> send.apply(s)));
  }

  /**
   * 413 on a declared Content-Length over the cap, 408 on a body that trickles past the deadline.
   */
  private static void bodyErrors(String key, String path, String token) {
    err(
        key,
        Group.MAIN,
        413,
        "payload_too_large",
        "body",
        false,
        s ->
            raw(
                s,
                RawHttp.head(
                    "POST", path, "Authorization: Bearer " + token, "Content-Length: 50000")));
    err(key, Group.SLOW, 408, "request_timeout", "body", false, s -> trickle(s, path, token));
  }

  // ---- the tests ----

  @Test
  void theScenariosCoverExactlyTheDocumentedMethodPathStatusTriples() throws Exception {
    JsonNode doc;
    try (InputStream in = getClass().getResourceAsStream("/dev/plimsoll/server/openapi.json")) {
      doc = TestServer.JSON.readTree(in);
    }
    Set<String> documented = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> p = doc.get("paths").fields(); p.hasNext(); ) {
      Map.Entry<String, JsonNode> path = p.next();
      for (Iterator<Map.Entry<String, JsonNode>> m = path.getValue().fields(); m.hasNext(); ) {
        Map.Entry<String, JsonNode> op = m.next();
        op.getValue()
            .get("responses")
            .fieldNames()
            .forEachRemaining(
                status ->
                    documented.add(
                        op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " " + status));
      }
    }
    Set<String> covered =
        SCENARIOS.stream().map(Scenario::key).collect(Collectors.toCollection(TreeSet::new));
    assertThat(SCENARIOS).extracting(Scenario::key).doesNotHaveDuplicates();
    assertThat(covered).isEqualTo(documented);
  }

  @TestFactory
  Stream<DynamicTest> everyDocumentedAnswerIsProvokedAndHasItsCodeFieldAndRetryAfter() {
    return SCENARIOS.stream()
        .map(
            sc ->
                DynamicTest.dynamicTest(
                    sc.key(), () -> check(sc, sc.send().apply(server(sc.group())))));
  }

  @Test
  void everyPathAnswersAnUndocumentedMethodWith405AndTheErrorShape() {
    TestServer s = server(Group.MAIN);
    Set<String> paths =
        SCENARIOS.stream()
            .map(sc -> sc.key().split(" ")[1])
            .collect(Collectors.toCollection(TreeSet::new));
    for (String p : paths) {
      Response r = s.call("PUT", p.replace("{id}", NO_SUCH), "{}", bearer(ADMIN));
      assertThat(r.status()).as(p).isEqualTo(405);
      assertThat(r.code()).as(p).isEqualTo("method_not_allowed");
    }
    assertThat(paths).hasSize(16);
  }

  private static void check(Scenario sc, Response r) {
    assertThat(r.status()).as(sc.key() + ": " + r.body()).isEqualTo(sc.status());
    if (sc.status() >= 400 && !sc.key().startsWith("GET /health/")) {
      assertThat(r.code()).as(sc.key() + " code: " + r.body()).isEqualTo(sc.code());
      assertThat(r.field()).as(sc.key() + " field").isEqualTo(sc.field());
    }
    assertThat(r.retryAfter() != null).as(sc.key() + " Retry-After").isEqualTo(sc.retryAfter());
  }

  // ---- servers and state ----

  private static synchronized TestServer server(Group g) {
    return SERVERS.computeIfAbsent(g, EveryDocumentedResponseTest::startServer);
  }

  private static TestServer startServer(Group g) {
    ServerConfig.Builder c =
        TestServer.withTokens().set("server.maxBodyBytes", "1KiB").set("watchdog.enabled", "false");
    return switch (g) {
      case MAIN -> TestServer.start(c);
      case FULL ->
          TestServer.start(c.set("engine.queue.capacity", "1").set("remote.maxWaitingClaims", "1"));
      case PRESSURE -> {
        LimitsTest.Pressure p = new LimitsTest.Pressure();
        p.reason = "heap after GC 91% >= 85% of max";
        yield TestServer.start(c, b -> b.pressure(p));
      }
      case STORE_DOWN -> TestServer.start(c, b -> b.store(failing(new InMemoryJobStore())));
      case SLOW -> TestServer.start(c.set("server.bodyTimeout", "5s"), b -> b.clock(slowClock));
      case CLOSING -> closing(c);
    };
  }

  /** A server draining one running job: shut down, but its HTTP API still answers. */
  private static TestServer closing(ServerConfig.Builder c) {
    CountDownLatch started = new CountDownLatch(1);
    TestServer s =
        TestServer.start(
            c.set("shutdown.mode", "CANCEL_PENDING").set("shutdown.grace", "20s"),
            b ->
                b.handler(
                    "hold",
                    ctx -> {
                      started.countDown();
                      releaseDrain.await();
                      return new byte[0];
                    }));
    s.submit("{\"type\":\"hold\"}", bearer(ACME));
    try {
      started.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    closer = new Thread(s::close, "test-closer");
    closer.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> s.get("/health/ready").status() == 503);
    return s;
  }

  @AfterAll
  static void stopServers() throws InterruptedException {
    releaseDrain.countDown();
    if (closer != null) {
      closer.join(30_000);
    }
    SERVERS.values().forEach(TestServer::close);
  }

  /** A store whose every call fails with {@link StoreUnavailableException} while it is down. */
  private static JobStore failing(JobStore delegate) {
    return (JobStore)
        Proxy.newProxyInstance(
            JobStore.class.getClassLoader(),
            new Class<?>[] {JobStore.class},
            (proxy, method, args) -> {
              if (storeDown.get() && method.getDeclaringClass() != Object.class) {
                throw new StoreUnavailableException("connection refused (test)", null);
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static Response down(java.util.function.Supplier<Response> call) {
    storeDown.set(true);
    try {
      return call.get();
    } finally {
      storeDown.set(false);
    }
  }

  private static String submit(TestServer s, String type) {
    return s.submit("{\"type\":\"" + type + "\"}", bearer(ACME));
  }

  /** A job held by a remote worker: its id and the lease's fencing token. */
  private record Lease(String id, long token) {}

  private static final java.util.concurrent.atomic.AtomicInteger leases =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Submits a job of a fresh type and claims it. */
  private static Lease lease(TestServer s) {
    String type = "remote.lease" + leases.incrementAndGet();
    String id = submit(s, type);
    Response r =
        s.post(
            "/v1/workers/claim",
            "{\"workerId\":\"w1\",\"types\":[\"" + type + "\"],\"waitMillis\":5000}",
            bearer(WORKER));
    JsonNode job = r.json().get("jobs").get(0);
    assertThat(job.get("id").asText()).isEqualTo(id);
    return new Lease(id, job.get("token").asLong());
  }

  /** A job that failed for good: submitted, claimed and failed non-retryably by a worker. */
  private static String deadJob(TestServer s) {
    Lease lease = lease(s);
    String id = lease.id();
    Response failed =
        s.post(
            "/v1/jobs/" + id + "/fail",
            "{\"token\":" + lease.token() + ",\"error\":\"x\",\"retryable\":false}",
            bearer(WORKER));
    assertThat(failed.json().get("status").asText()).isEqualTo("DEAD");
    return id;
  }

  /** With one claim already waiting (the limit), a second one is refused. */
  private static Response secondWaitingClaim(TestServer s) {
    String parked = "{\"workerId\":\"w1\",\"types\":[\"remote.never\"],\"waitMillis\":60000}";
    HttpClient client = HttpClient.newHttpClient();
    client.sendAsync(
        HttpRequest.newBuilder(URI.create(s.server.url() + "/v1/workers/claim"))
            .header("Authorization", "Bearer " + WORKER)
            .POST(HttpRequest.BodyPublishers.ofString(parked))
            .build(),
        HttpResponse.BodyHandlers.discarding());
    Response[] last = new Response[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              last[0] =
                  s.post("/v1/workers/claim", parked.replace("60000", "1000"), bearer(WORKER));
              return last[0].status() != 200;
            });
    return last[0];
  }

  /** Sends raw bytes and parses the one answer. */
  private static Response raw(TestServer s, String request) {
    try (RawHttp raw = new RawHttp(s.port(), 10_000)) {
      return parse(raw.send(request).readAll());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A body whose bytes arrive "6 s" apart on the server's clock, past server.bodyTimeout (5s). */
  private static Response trickle(TestServer s, String path, String token) {
    try (RawHttp raw = new RawHttp(s.port(), 10_000)) {
      raw.send(RawHttp.head("POST", path, "Authorization: Bearer " + token, "Content-Length: 900"))
          .send("{");
      String[] answer = new String[1];
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                slowClock.advance(Duration.ofSeconds(6));
                raw.send(" ");
                answer[0] = raw.tryRead(100);
                return answer[0] != null;
              });
      return parse(answer[0]);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Response parse(String http) {
    int end = http.indexOf("\r\n\r\n");
    String head = http.substring(0, end);
    int status = Integer.parseInt(head.substring(9, 12));
    String retryAfter = null;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("retry-after:")) {
        retryAfter = line.substring(12).trim();
      }
    }
    return new Response(status, retryAfter, http.substring(end + 4));
  }
}
