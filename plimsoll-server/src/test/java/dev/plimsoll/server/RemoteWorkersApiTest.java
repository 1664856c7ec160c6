package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plimsoll.SettableClock;
import dev.plimsoll.server.TestServer.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The remote-worker protocol over HTTP: claim, heartbeat, complete, fail, lease expiry. */
class RemoteWorkersApiTest {

  private static String claimBody(String type, int max, long waitMillis) {
    return "{\"workerId\":\"w-1\",\"types\":[\""
        + type
        + "\"],\"max\":"
        + max
        + ",\"waitMillis\":"
        + waitMillis
        + "}";
  }

  private static JsonNode claimOne(TestServer s, String type) {
    Response r = s.post("/v1/workers/claim", claimBody(type, 1, 5_000));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("jobs")).hasSize(1);
    return r.json().get("jobs").get(0);
  }

  @Test
  void aClaimedJobIsCompletedWithItsTokenAndItsResultIsStoredAsJson() {
    try (TestServer s = TestServer.start(TestServer.config())) {
      String id = s.submit("{\"type\":\"py.work\",\"payload\":{\"text\":\"abc\"}}");
      JsonNode lease = claimOne(s, "py.work");
      assertThat(lease.get("id").asText()).isEqualTo(id);
      assertThat(lease.get("payload").toString()).isEqualTo("{\"text\":\"abc\"}");
      assertThat(lease.get("attempt").asInt()).isEqualTo(1);
      assertThat(s.status(id)).isEqualTo("RUNNING");
      long token = lease.get("token").asLong();

      Response hb = s.post("/v1/jobs/" + id + "/heartbeat", "{\"token\":" + token + "}");
      assertThat(hb.status()).isEqualTo(200);
      assertThat(hb.json().get("lease").asText()).isEqualTo("RENEWED");

      Response done =
          s.post(
              "/v1/jobs/" + id + "/complete",
              "{\"token\":" + token + ",\"result\":{\"text\":\"cba\"}}");
      assertThat(done.status()).as(done.body()).isEqualTo(200);
      assertThat(done.json().get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(s.get("/v1/jobs/" + id).json().get("result").toString())
          .isEqualTo("{\"text\":\"cba\"}");

      Response again = s.post("/v1/jobs/" + id + "/complete", "{\"token\":" + token + "}");
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.code()).isEqualTo("lease_lost");
    }
  }

  @Test
  void aFailedAttemptIsRetriedWhileRetryableAndGoesDeadWhenNot() {
    try (TestServer s =
        TestServer.start(
            TestServer.config()
                .set("engine.backoff.initial", "10ms")
                .set("engine.backoff.max", "10ms"))) {
      String id = s.submit("{\"type\":\"py.fail\",\"maxAttempts\":3}");
      JsonNode first = claimOne(s, "py.fail");
      Response f =
          s.post(
              "/v1/jobs/" + id + "/fail",
              "{\"token\":" + first.get("token").asLong() + ",\"error\":\"boom\"}");
      assertThat(f.status()).as(f.body()).isEqualTo(200);
      assertThat(f.json().get("status").asText()).isIn("SCHEDULED", "QUEUED");

      JsonNode second = claimOne(s, "py.fail");
      assertThat(second.get("attempt").asInt()).isEqualTo(2);
      assertThat(second.get("token").asLong()).isNotEqualTo(first.get("token").asLong());
      Response stale =
          s.post(
              "/v1/jobs/" + id + "/fail",
              "{\"token\":" + first.get("token").asLong() + ",\"error\":\"late\"}");
      assertThat(stale.status()).isEqualTo(409);
      assertThat(stale.code()).isEqualTo("lease_lost");

      Response fatal =
          s.post(
              "/v1/jobs/" + id + "/fail",
              "{\"token\":"
                  + second.get("token").asLong()
                  + ",\"error\":\"bad input\",\"retryable\":false}");
      assertThat(fatal.json().get("status").asText()).isEqualTo("DEAD");
      assertThat(s.get("/v1/jobs/" + id).json().get("error").asText()).contains("bad input");
    }
  }

  @Test
  void aLongPollClaimWaitsForAJobSubmittedAfterItAndAnEmptyOneReturnsNoJobs() throws Exception {
    try (TestServer s = TestServer.start(TestServer.config())) {
      Response empty = s.post("/v1/workers/claim", claimBody("py.late", 1, 50));
      assertThat(empty.status()).isEqualTo(200);
      assertThat(empty.json().get("jobs")).isEmpty();

      CompletableFuture<Response> waiting =
          CompletableFuture.supplyAsync(
              () -> s.post("/v1/workers/claim", claimBody("py.late", 1, 20_000)));
      await().atMost(Duration.ofSeconds(10)).until(() -> parked(s) == 1);
      String id = s.submit("{\"type\":\"py.late\"}");
      Response got = waiting.get();
      assertThat(got.json().get("jobs").get(0).get("id").asText()).isEqualTo(id);
    }
  }

  @Test
  void waitingClaimsHoldNoRequestThreadAndBeyondTheirBoundAre429() throws Exception {
    try (TestServer s =
        TestServer.start(TestServer.config().set("remote.maxWaitingClaims", "24"))) {
      List<CompletableFuture<Response>> parkedClaims = new ArrayList<>();
      for (int i = 0; i < 24; i++) { // more than the 16 request threads
        parkedClaims.add(
            CompletableFuture.supplyAsync(
                () -> s.post("/v1/workers/claim", claimBody("py.idle", 1, 20_000))));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> parked(s) == 24);
      assertThat(s.get("/health/live").status()).isEqualTo(200);
      Response over = s.post("/v1/workers/claim", claimBody("py.idle", 1, 20_000));
      assertThat(over.status()).isEqualTo(429);
      assertThat(over.code()).isEqualTo("capacity_exceeded");
      assertThat(over.retryAfter()).isEqualTo("1");
      for (int i = 0; i < 24; i++) {
        s.submit("{\"type\":\"py.idle\"}");
      }
      for (CompletableFuture<Response> c : parkedClaims) {
        assertThat(c.get().json().get("jobs")).hasSize(1);
      }
    }
  }

  @Test
  void anExpiredLeaseReturnsTheJobToTheQueueAndTheOldTokenIsRefused() {
    SettableClock clock = SettableClock.atFixedStart();
    try (TestServer s =
        TestServer.start(TestServer.config().set("engine.lease", "5s"), b -> b.clock(clock))) {
      String id = s.submit("{\"type\":\"py.slow\",\"maxAttempts\":3}");
      JsonNode lease = claimOne(s, "py.slow");
      clock.advance(Duration.ofSeconds(6));
      await().atMost(Duration.ofSeconds(10)).until(() -> !s.status(id).equals("RUNNING"));
      Response hb =
          s.post(
              "/v1/jobs/" + id + "/heartbeat", "{\"token\":" + lease.get("token").asLong() + "}");
      assertThat(hb.status()).isEqualTo(409);
      assertThat(hb.code()).isEqualTo("lease_lost");
      clock.advance(Duration.ofSeconds(120)); // past any retry backoff
      JsonNode again = claimOne(s, "py.slow");
      assertThat(again.get("id").asText()).isEqualTo(id);
      assertThat(again.get("attempt").asInt()).isEqualTo(2);
    }
  }

  @Test
  void aCancelledJobAnswersTheNextHeartbeatWithCancelRequested() {
    try (TestServer s = TestServer.start(TestServer.config())) {
      String id = s.submit("{\"type\":\"py.cancel\"}");
      JsonNode lease = claimOne(s, "py.cancel");
      assertThat(s.post("/v1/jobs/" + id + "/cancel", null).status()).isEqualTo(200);
      Response hb =
          s.post(
              "/v1/jobs/" + id + "/heartbeat", "{\"token\":" + lease.get("token").asLong() + "}");
      assertThat(hb.json().get("lease").asText()).isEqualTo("CANCEL_REQUESTED");
      s.post("/v1/jobs/" + id + "/complete", "{\"token\":" + lease.get("token").asLong() + "}");
      await().atMost(Duration.ofSeconds(10)).until(() -> s.status(id).equals("CANCELLED"));
    }
  }

  @Test
  void badClaimsAndReportsAre400NamingTheField() {
    try (TestServer s =
        TestServer.start(TestServer.config(), b -> b.handler("local", ctx -> null))) {
      assertThat(s.post("/v1/workers/claim", "{\"types\":[\"a\"]}").field()).isEqualTo("workerId");
      assertThat(s.post("/v1/workers/claim", "{\"workerId\":\"w\"}").field()).isEqualTo("types");
      assertThat(s.post("/v1/workers/claim", "{\"workerId\":\"w\",\"types\":[]}").field())
          .isEqualTo("types");
      assertThat(s.post("/v1/workers/claim", "{\"workerId\":\"w\",\"types\":[1]}").field())
          .isEqualTo("types");
      assertThat(s.post("/v1/workers/claim", claimBody("a", 0, 10)).field()).isEqualTo("max");
      assertThat(s.post("/v1/workers/claim", claimBody("a", 1, 600_000)).field())
          .isEqualTo("waitMillis");
      assertThat(
              s.post("/v1/workers/claim", "{\"workerId\":\"w\",\"types\":[\"a\"],\"extra\":1}")
                  .field())
          .isEqualTo("extra");
      Response local = s.post("/v1/workers/claim", claimBody("local", 1, 10));
      assertThat(local.status()).isEqualTo(400);
      String id = "01890000-0000-7000-8000-000000000000";
      assertThat(s.post("/v1/jobs/" + id + "/heartbeat", "{}").field()).isEqualTo("token");
      assertThat(s.post("/v1/jobs/" + id + "/heartbeat", "{\"token\":\"x\"}").field())
          .isEqualTo("token");
      assertThat(s.post("/v1/jobs/" + id + "/fail", "{\"token\":1}").field()).isEqualTo("error");
      assertThat(
              s.post(
                      "/v1/jobs/" + id + "/fail",
                      "{\"token\":1,\"error\":\"e\",\"retryable\":\"no\"}")
                  .field())
          .isEqualTo("retryable");
      assertThat(s.post("/v1/jobs/" + id + "/complete", "{\"token\":1}").code())
          .isEqualTo("lease_lost");
      assertThat(s.post("/v1/jobs/nope/complete", "{\"token\":1}").field()).isEqualTo("id");
    }
  }

  private static long parked(TestServer s) {
    return s.server.engine().stats().parkedClaims();
  }
}
