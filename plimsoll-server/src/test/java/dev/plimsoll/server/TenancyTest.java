package dev.plimsoll.server;

import static dev.plimsoll.server.TestServer.ACME;
import static dev.plimsoll.server.TestServer.ADMIN;
import static dev.plimsoll.server.TestServer.GLOBEX;
import static dev.plimsoll.server.TestServer.WORKER;
import static dev.plimsoll.server.TestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.NonRetryableException;
import dev.plimsoll.server.TestServer.Response;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tokens map to a tenant and a role; a tenant never learns of another tenant's jobs. */
class TenancyTest {
  static TestServer s;

  @BeforeAll
  static void start() {
    s =
        TestServer.start(
            TestServer.withTokens(),
            b ->
                b.handler(
                    "doomed",
                    ctx -> {
                      throw new NonRetryableException("always fails");
                    }));
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void requestsWithoutAValidBearerTokenAre401AndChangeNothing() {
    long before = s.server.engine().stats().totalQueued();
    Response none = s.post("/v1/jobs", "{\"type\":\"remote.t\"}");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.code()).isEqualTo("unauthorized");
    assertThat(none.field()).isEqualTo("Authorization");
    assertThat(
            s.post("/v1/jobs", "{\"type\":\"remote.t\"}", bearer("not-a-real-token-at-all"))
                .status())
        .isEqualTo(401);
    assertThat(
            s.post("/v1/jobs", "{\"type\":\"remote.t\"}", "Authorization", "Basic " + ACME)
                .status())
        .isEqualTo(401);
    assertThat(s.get("/v1/jobs", bearer("x")).status()).isEqualTo(401);
    assertThat(s.server.engine().stats().totalQueued()).isEqualTo(before);
  }

  @Test
  void everyV1RouteAnswers401WithoutATokenAndEveryRoleIsRefusedWhatItMayNotDo() {
    java.util.Set<String> clientOnly = new java.util.HashSet<>();
    java.util.Set<String> workerOnly = new java.util.HashSet<>();
    java.util.Set<String> adminOnly = java.util.Set.of("GET /v1/stats", "DELETE /v1/dead");
    int checked = 0;
    for (String route : s.server.routes()) {
      String[] mp = route.split(" ");
      if (!mp[1].startsWith("/v1/")) {
        continue;
      }
      String path = mp[1].replace("{id}", "01890000-0000-7000-8000-000000000000");
      Response none = s.call(mp[0], path, "{}");
      assertThat(none.status()).as(route).isEqualTo(401);
      assertThat(none.code()).as(route).isEqualTo("unauthorized");
      boolean workerRoute =
          route.contains("/workers/") || route.matches(".*/(heartbeat|complete|fail)$");
      (workerRoute ? workerOnly : clientOnly).add(route);
      int asWorker = s.call(mp[0], path, "{}", bearer(WORKER)).status();
      int asClient = s.call(mp[0], path, "{}", bearer(ACME)).status();
      int asAdmin = s.call(mp[0], path, "{}", bearer(ADMIN)).status();
      assertThat(asWorker == 403).as(route + " as worker").isEqualTo(!workerRoute);
      assertThat(asClient == 403)
          .as(route + " as client")
          .isEqualTo(workerRoute || adminOnly.contains(route));
      assertThat(asAdmin).as(route + " as admin").isNotIn(401, 403);
      checked++;
    }
    assertThat(checked).isEqualTo(14);
    assertThat(workerOnly).hasSize(4);
  }

  @Test
  void aRoleIsRefusedWhatItMayNotDoWith403() {
    Response worker = s.post("/v1/jobs", "{\"type\":\"remote.t\"}", bearer(WORKER));
    assertThat(worker.status()).isEqualTo(403);
    assertThat(worker.code()).isEqualTo("forbidden");
    assertThat(s.get("/v1/stats", bearer(ACME)).status()).isEqualTo(403);
    assertThat(s.delete("/v1/dead", bearer(ACME)).status()).isEqualTo(403);
    Response claim =
        s.post("/v1/workers/claim", "{\"workerId\":\"w\",\"types\":[\"remote.t\"]}", bearer(ACME));
    assertThat(claim.status()).isEqualTo(403);
    assertThat(s.get("/v1/stats", bearer(ADMIN)).status()).isEqualTo(200);
  }

  @Test
  void aTenantCannotReadListOrCancelAnotherTenantsJobAndGets404() {
    String id = s.submit("{\"type\":\"remote.t\",\"queue\":\"q-iso\"}", bearer(ACME));
    assertThat(s.get("/v1/jobs/" + id, bearer(ACME)).json().get("tenant").asText())
        .isEqualTo("acme");

    Response read = s.get("/v1/jobs/" + id, bearer(GLOBEX));
    assertThat(read.status()).isEqualTo(404);
    assertThat(read.body()).doesNotContain("acme");
    assertThat(s.get("/v1/jobs?queue=q-iso", bearer(GLOBEX)).json().get("jobs")).isEmpty();
    assertThat(s.post("/v1/jobs/" + id + "/cancel", null, bearer(GLOBEX)).status()).isEqualTo(404);
    assertThat(s.status(id, bearer(ACME))).isEqualTo("QUEUED");

    assertThat(s.get("/v1/jobs?queue=q-iso", bearer(ACME)).json().get("jobs")).hasSize(1);
    assertThat(s.get("/v1/jobs/" + id, bearer(ADMIN)).status()).isEqualTo(200);
  }

  @Test
  void aTenantCannotSeeRetryOrDeleteAnotherTenantsDeadJob() {
    String id = s.submit("{\"type\":\"doomed\",\"queue\":\"q-dead-iso\"}", bearer(ACME));
    await().atMost(Duration.ofSeconds(10)).until(() -> s.status(id, bearer(ACME)).equals("DEAD"));

    assertThat(s.get("/v1/dead", bearer(GLOBEX)).json().get("jobs")).isEmpty();
    assertThat(s.post("/v1/dead/" + id + "/retry", null, bearer(GLOBEX)).status()).isEqualTo(404);
    assertThat(s.delete("/v1/dead/" + id, bearer(GLOBEX)).status()).isEqualTo(404);
    assertThat(s.status(id, bearer(ACME))).isEqualTo("DEAD");
    assertThat(s.get("/v1/dead", bearer(ACME)).json().get("jobs")).hasSize(1);
  }

  @Test
  void twoTenantsUsingTheSameIdempotencyKeyGetTwoJobs() {
    String body = "{\"type\":\"remote.t\",\"queue\":\"q-key\"}";
    String a = s.submit(body, "Authorization", "Bearer " + ACME, "Idempotency-Key", "same");
    String g = s.submit(body, "Authorization", "Bearer " + GLOBEX, "Idempotency-Key", "same");
    assertThat(a).isNotEqualTo(g);
    assertThat(s.submit(body, "Authorization", "Bearer " + ACME, "Idempotency-Key", "same"))
        .isEqualTo(a);
    assertThat(s.get("/v1/jobs/" + g, bearer(GLOBEX)).json().get("idempotencyKey").asText())
        .isEqualTo("same");
  }

  @Test
  void healthMetricsAndTheOpenApiDocumentNeedNoToken() {
    assertThat(s.get("/health/live").status()).isEqualTo(200);
    assertThat(s.get("/health/ready").status()).isEqualTo(200);
    assertThat(s.get("/metrics").status()).isEqualTo(200);
    assertThat(s.get("/openapi.json").status()).isEqualTo(200);
  }
}
