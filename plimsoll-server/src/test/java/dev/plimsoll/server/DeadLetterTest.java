package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.NonRetryableException;
import dev.plimsoll.server.TestServer.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

  @Test
  void deadJobsAreListedRetriedDeletedAndPurged() {
    AtomicBoolean healed = new AtomicBoolean();
    try (TestServer s =
        TestServer.start(
            TestServer.config(),
            b ->
                b.handler(
                    "flaky",
                    ctx -> {
                      if (!healed.get()) {
                        throw new NonRetryableException("downstream said no");
                      }
                      return "ok".getBytes();
                    }))) {
      String a = s.submit("{\"type\":\"flaky\"}");
      String b = s.submit("{\"type\":\"flaky\"}");
      String c = s.submit("{\"type\":\"flaky\"}");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> s.get("/v1/dead").json().get("jobs").size() == 3);
      Response dead = s.get("/v1/dead?type=flaky&limit=10");
      assertThat(dead.json().get("jobs").get(0).get("error").asText())
          .contains("downstream said no");

      healed.set(true);
      Response retried = s.post("/v1/dead/" + a + "/retry", null);
      assertThat(retried.status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> s.status(a).equals("SUCCEEDED"));
      assertThat(s.post("/v1/dead/" + a + "/retry", null).status()).isEqualTo(404);

      assertThat(s.delete("/v1/dead/" + b).status()).isEqualTo(204);
      assertThat(s.get("/v1/jobs/" + b).status()).isEqualTo(404);
      assertThat(s.delete("/v1/dead/" + b).status()).isEqualTo(404);

      Response purged = s.delete("/v1/dead");
      assertThat(purged.status()).isEqualTo(200);
      assertThat(purged.json().get("deleted").asLong()).isEqualTo(1);
      assertThat(s.get("/v1/jobs/" + c).status()).isEqualTo(404);
      assertThat(s.get("/v1/dead").json().get("jobs")).isEmpty();
    }
  }

  @Test
  void deadEndpointsRejectBadParametersAndIds() {
    try (TestServer s = TestServer.start(TestServer.config())) {
      assertThat(s.get("/v1/dead?status=DEAD").field()).isEqualTo("status");
      assertThat(s.get("/v1/dead?limit=5000").field()).isEqualTo("limit");
      assertThat(s.post("/v1/dead/nope/retry", null).status()).isEqualTo(400);
      assertThat(s.delete("/v1/dead/nope").field()).isEqualTo("id");
      String queued = s.submit("{\"type\":\"remote.x\"}");
      assertThat(s.post("/v1/dead/" + queued + "/retry", null).status()).isEqualTo(404);
      assertThat(s.delete("/v1/dead/" + queued).status()).isEqualTo(404);
      assertThat(s.status(queued)).isEqualTo("QUEUED");
    }
  }
}
