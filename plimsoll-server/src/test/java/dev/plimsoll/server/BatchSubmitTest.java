package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plimsoll.server.TestServer.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/jobs/batch}: all jobs or none, in order, each refusal naming the job's place. */
class BatchSubmitTest {
  static TestServer s;

  @BeforeAll
  static void start() {
    s =
        TestServer.start(
            TestServer.config().set("server.maxBatchJobs", "3"),
            b -> b.handler("echo", ctx -> ctx.payload()));
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  private static long held() {
    return s.server.engine().stats().totalQueued();
  }

  private static void assertRefused(String body, String field, String message) {
    long before = held();
    Response r = s.post("/v1/jobs/batch", body);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    JsonNode error = r.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("invalid");
    assertThat(error.get("field").asText()).isEqualTo(field);
    assertThat(error.get("message").asText()).isEqualTo(message);
    assertThat(held()).as("nothing stored").isEqualTo(before);
  }

  @Test
  void aBatchIsAcceptedInRequestOrderAndEveryJobRuns() {
    Response r =
        s.post(
            "/v1/jobs/batch",
            "{\"jobs\":[{\"type\":\"echo\",\"payload\":1},{\"type\":\"echo\",\"payload\":2},"
                + "{\"type\":\"remote.later\",\"delayMillis\":3600000}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode jobs = r.json().get("jobs");
    assertThat(jobs).hasSize(3);
    assertThat(jobs.get(2).get("status").asText()).isEqualTo("SCHEDULED");
    for (int i = 0; i < 2; i++) {
      String id = jobs.get(i).get("id").asText();
      assertThat(jobs.get(i).get("status").asText()).isEqualTo("QUEUED");
      await().atMost(Duration.ofSeconds(10)).until(() -> s.status(id).equals("SUCCEEDED"));
      assertThat(s.get("/v1/jobs/" + id).json().get("result").asInt()).isEqualTo(i + 1);
    }
  }

  @Test
  void anInvalidJobIsNamedByItsPlaceAndNoJobOfTheBatchIsStored() {
    assertRefused(
        "{\"jobs\":[{\"type\":\"remote.a\"},{\"type\":\"remote.a\",\"priority\":10}]}",
        "jobs[1].priority",
        "jobs[1].priority must be between 0 and 9, got 10");
    assertRefused(
        "{\"jobs\":[{\"type\":\"remote.a\"},{\"type\":\"remote.a\",\"colour\":\"red\"}]}",
        "jobs[1].colour",
        "jobs[1].colour is not a known field; known fields: [delayMillis, idempotencyKey,"
            + " maxAttempts, payload, priority, queue, runAt, timeoutMillis, type]");
    assertRefused("{\"jobs\":[{}]}", "jobs[0].type", "jobs[0].type is required");
    assertRefused("{\"jobs\":[7]}", "jobs[0]", "jobs[0] must be a job object");
    // the engine's own check (after the API's): delayMillis and runAt together
    assertRefused(
        "{\"jobs\":[{\"type\":\"remote.a\"},{\"type\":\"remote.a\",\"delayMillis\":5,"
            + "\"runAt\":\"2030-01-01T00:00:00Z\"}]}",
        "jobs[1].delayMillis",
        "jobs[1].delayMillis cannot be combined with runAt");
  }

  @Test
  void theBatchMustHoldOneToMaxBatchJobsJobs() {
    assertRefused("{}", "jobs", "jobs is required");
    assertRefused("{\"jobs\":{}}", "jobs", "jobs must be an array of job objects");
    assertRefused(
        "{\"jobs\":[]}", "jobs", "jobs must hold 1 to 3 jobs (server.maxBatchJobs), got 0");
    String four = "{\"type\":\"remote.a\"},".repeat(3) + "{\"type\":\"remote.a\"}";
    assertRefused(
        "{\"jobs\":[" + four + "]}",
        "jobs",
        "jobs must hold 1 to 3 jobs (server.maxBatchJobs), got 4");
    assertRefused(
        "{\"jobs\":[],\"more\":1}", "more", "more is not a known field; known fields: [jobs]");
  }

  @Test
  void aRepeatedIdempotencyKeyInABatchNamesTheEarlierJob() {
    String first = s.submit("{\"type\":\"remote.keyed\"}", "Idempotency-Key", "order-7");
    Response r =
        s.post(
            "/v1/jobs/batch",
            "{\"jobs\":[{\"type\":\"remote.keyed\",\"idempotencyKey\":\"order-7\"},"
                + "{\"type\":\"remote.keyed\",\"idempotencyKey\":\"order-8\"}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(r.json().get("jobs").get(0).get("id").asText()).isEqualTo(first);
    assertThat(r.json().get("jobs").get(1).get("id").asText()).isNotEqualTo(first);
    assertRefused(
        "{\"jobs\":[{\"type\":\"remote.keyed\",\"idempotencyKey\":\"\"}]}",
        "jobs[0].idempotencyKey",
        "jobs[0].idempotencyKey must be 1 to 200 printable ASCII characters");
  }

  @Test
  void aBatchTheQueueCannotHoldWhollyIsRefusedWith429AndNothingIsStored() {
    try (TestServer small =
        TestServer.start(TestServer.config().set("engine.queue.capacity", "3"))) {
      Response two =
          small.post(
              "/v1/jobs/batch", "{\"jobs\":[{\"type\":\"remote.f\"},{\"type\":\"remote.f\"}]}");
      assertThat(two.status()).as(two.body()).isEqualTo(202);
      Response more =
          small.post(
              "/v1/jobs/batch", "{\"jobs\":[{\"type\":\"remote.f\"},{\"type\":\"remote.f\"}]}");
      assertThat(more.status()).as(more.body()).isEqualTo(429);
      assertThat(more.json().get("error").get("code").asText()).isEqualTo("queue_full");
      assertThat(more.retryAfter()).isNotNull();
      assertThat(small.server.engine().stats().totalQueued()).isEqualTo(2);
    }
  }

  @Test
  void onTheEmbeddedSqliteStoreABatchIsOneStoreTransaction(@TempDir Path dir) {
    try (TestServer sqlite =
        TestServer.start(
            TestServer.config().set("store.kind", "sqlite").set("data.dir", dir.toString()),
            b -> b.handler("echo", ctx -> ctx.payload()))) {
      List<String> items = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        items.add("{\"type\":\"echo\",\"payload\":" + i + "}");
      }
      Response r = sqlite.post("/v1/jobs/batch", "{\"jobs\":[" + String.join(",", items) + "]}");
      assertThat(r.status()).as(r.body()).isEqualTo(202);
      assertThat(r.json().get("jobs")).hasSize(500);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sqlite.server.engine().stats().totalSucceeded() == 500);
    }
  }
}
