package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.server.TestServer.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobApiTest {
  static final CountDownLatch RELEASE = new CountDownLatch(1);
  static TestServer s;

  @BeforeAll
  static void start() {
    s =
        TestServer.start(
            TestServer.config(),
            b ->
                b.handler("echo", ctx -> ctx.payload())
                    .handler(
                        "hold",
                        ctx -> {
                          RELEASE.await();
                          return null;
                        }));
  }

  @AfterAll
  static void stop() {
    RELEASE.countDown();
    s.close();
  }

  @Test
  void aSubmittedJobIsAcceptedWith202AndReadBackWithItsJsonPayloadAndResult() {
    Response r = s.post("/v1/jobs", "{\"type\":\"echo\",\"payload\":{\"to\":\"ada\",\"n\":[1,2]}}");
    assertThat(r.status()).isEqualTo(202);
    String id = r.json().get("id").asText();
    assertThat(r.json().get("status").asText()).isIn("QUEUED", "RUNNING", "SUCCEEDED");

    await().atMost(Duration.ofSeconds(10)).until(() -> s.status(id).equals("SUCCEEDED"));
    Response job = s.get("/v1/jobs/" + id);
    assertThat(job.status()).isEqualTo(200);
    assertThat(job.json().get("payload").toString()).isEqualTo("{\"to\":\"ada\",\"n\":[1,2]}");
    assertThat(job.json().get("result").toString()).isEqualTo("{\"to\":\"ada\",\"n\":[1,2]}");
    assertThat(job.json().get("type").asText()).isEqualTo("echo");
    assertThat(job.json().get("queue").asText()).isEqualTo("default");
    assertThat(job.json().get("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void everyOptionalFieldOfASubmissionIsHonoured() {
    String id =
        s.submit(
            "{\"type\":\"remote.opts\",\"queue\":\"q-opts\",\"priority\":7,\"delayMillis\":3600000,"
                + "\"maxAttempts\":4,\"timeoutMillis\":1234}");
    var job = s.get("/v1/jobs/" + id).json();
    assertThat(job.get("status").asText()).isEqualTo("SCHEDULED");
    assertThat(job.get("queue").asText()).isEqualTo("q-opts");
    assertThat(job.get("priority").asInt()).isEqualTo(7);
    assertThat(job.get("maxAttempts").asInt()).isEqualTo(4);
    assertThat(job.get("timeoutMillis").asLong()).isEqualTo(1234);
    assertThat(job.get("payload").isNull()).isTrue();

    String when =
        Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString();
    String at =
        s.submit("{\"type\":\"remote.opts\",\"queue\":\"q-opts\",\"runAt\":\"" + when + "\"}");
    assertThat(s.get("/v1/jobs/" + at).json().get("runAt").asText()).isEqualTo(when);
  }

  @Test
  void theSameIdempotencyKeyReturnsTheFirstJobInsteadOfANewOne() {
    String body = "{\"type\":\"remote.idem\",\"queue\":\"q-idem\"}";
    String first = s.submit(body, "Idempotency-Key", "order-42");
    String again = s.submit(body, "Idempotency-Key", "order-42");
    String other = s.submit(body, "Idempotency-Key", "order-43");
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(s.get("/v1/jobs/" + first).json().get("idempotencyKey").asText())
        .isEqualTo("order-42");
    assertThat(s.get("/v1/jobs?queue=q-idem").json().get("jobs")).hasSize(2);
  }

  @Test
  void listingFiltersByStatusTypeAndQueueAndPagesWithACursor() {
    for (int i = 0; i < 5; i++) {
      s.submit("{\"type\":\"remote.list\",\"queue\":\"q-list\"}");
    }
    s.submit("{\"type\":\"remote.other\",\"queue\":\"q-list\"}");
    Set<String> seen = new HashSet<>();
    Response page = s.get("/v1/jobs?queue=q-list&type=remote.list&status=queued&limit=2");
    assertThat(page.status()).isEqualTo(200);
    int pages = 0;
    while (true) {
      pages++;
      page.json()
          .get("jobs")
          .forEach(
              j -> {
                assertThat(j.get("type").asText()).isEqualTo("remote.list");
                assertThat(j.get("status").asText()).isEqualTo("QUEUED");
                seen.add(j.get("id").asText());
              });
      if (page.json().get("nextCursor").isNull()) {
        break;
      }
      page =
          s.get(
              "/v1/jobs?queue=q-list&type=remote.list&limit=2&cursor="
                  + page.json().get("nextCursor").asText());
    }
    assertThat(seen).hasSize(5);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void cancellingAPendingJobEndsItCancelledAndCancellingItAgainIs409() {
    String id = s.submit("{\"type\":\"remote.cancel\",\"queue\":\"q-cancel\"}");
    Response r = s.post("/v1/jobs/" + id + "/cancel", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("CANCELLED");
    Response again = s.post("/v1/jobs/" + id + "/cancel", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("not_cancellable");
  }

  @Test
  void cancellingARunningJobInterruptsIt() {
    String id = s.submit("{\"type\":\"hold\",\"queue\":\"q-hold\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> s.status(id).equals("RUNNING"));
    assertThat(s.post("/v1/jobs/" + id + "/cancel", null).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> s.status(id).equals("CANCELLED"));
  }

  @Test
  void anUnknownJobIs404AndAMalformedIdIs400NamingTheId() {
    Response missing = s.get("/v1/jobs/01890000-0000-7000-8000-000000000000");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.code()).isEqualTo("not_found");
    assertThat(s.post("/v1/jobs/01890000-0000-7000-8000-000000000000/cancel", null).status())
        .isEqualTo(404);
    Response bad = s.get("/v1/jobs/not-a-uuid");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.field()).isEqualTo("id");
  }

  @Test
  void unknownRoutesAndWrongMethodsAnswerJsonErrors() {
    Response nowhere = s.get("/v1/nowhere");
    assertThat(nowhere.status()).isEqualTo(404);
    assertThat(nowhere.code()).isEqualTo("not_found");
    Response wrong = s.call("PUT", "/v1/jobs", "{}");
    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.code()).isEqualTo("method_not_allowed");
  }

  @Test
  void listingRejectsBadParametersNamingThem() {
    assertThat(s.get("/v1/jobs?status=LOST").field()).isEqualTo("status");
    assertThat(s.get("/v1/jobs?limit=0").field()).isEqualTo("limit");
    assertThat(s.get("/v1/jobs?limit=many").field()).isEqualTo("limit");
    assertThat(s.get("/v1/jobs?colour=red").field()).isEqualTo("colour");
    assertThat(s.get("/v1/jobs?limit=0").status()).isEqualTo(400);
  }
}
