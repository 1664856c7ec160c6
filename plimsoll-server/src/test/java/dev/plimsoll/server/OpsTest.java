package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import dev.plimsoll.JobPage;
import dev.plimsoll.JobQuery;
import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.memory.InMemoryJobStore;
import dev.plimsoll.server.TestServer.Response;
import dev.plimsoll.spi.ForwardingJobStore;
import dev.plimsoll.spi.InsertResult;
import dev.plimsoll.spi.NewJob;
import dev.plimsoll.spi.StoreCounts;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Stats, Prometheus metrics, liveness and readiness. */
class OpsTest {

  @Test
  void metricsAreInPrometheusTextWithEngineProcessPoolJvmAndErrorMeters() {
    try (TestServer s =
        TestServer.start(TestServer.config(), b -> b.handler("noop", ctx -> null))) {
      String id = s.submit("{\"type\":\"noop\"}");
      await().atMost(Duration.ofSeconds(10)).until(() -> s.status(id).equals("SUCCEEDED"));
      s.post("/v1/jobs", "{}"); // one 400, counted by code
      Response m = s.get("/metrics");
      assertThat(m.status()).isEqualTo(200);
      assertThat(m.body())
          .contains("# TYPE ")
          .containsPattern("(?m)^plimsoll_\\w+")
          .contains("jvm_memory_used_bytes")
          .contains("jvm_threads_live_threads")
          .contains("process_cpu_usage")
          .as("the memory watchdog is installed by default and exported")
          .containsPattern("(?m)^plimsoll_watch_heap_after_gc_fraction")
          .containsPattern("(?m)^plimsoll_watch_shedding\\b")
          .containsPattern("(?m)^plimsoll_http_errors_total\\{code=\"invalid\"} 1\\.0$");
    }
  }

  @Test
  void statsShowWhatTheEngineHasDone() {
    try (TestServer s =
        TestServer.start(TestServer.config(), b -> b.handler("noop", ctx -> null))) {
      String id = s.submit("{\"type\":\"noop\"}");
      await().atMost(Duration.ofSeconds(10)).until(() -> s.status(id).equals("SUCCEEDED"));
      var stats = s.get("/v1/stats").json();
      assertThat(stats.get("totalQueued").asLong()).isEqualTo(1);
      assertThat(stats.get("totalSucceeded").asLong()).isEqualTo(1);
      assertThat(stats.get("maxConcurrency").asInt()).isEqualTo(2);
      assertThat(stats.get("countsByState").get("SUCCEEDED").asLong()).isEqualTo(1);
    }
  }

  @Test
  void readinessIsFalseWhileTheStoreIsUnreachableAndTrueAgainWhenItAnswers() {
    AtomicBoolean down = new AtomicBoolean();
    ForwardingJobStore flaky =
        new ForwardingJobStore(new InMemoryJobStore()) {
          @Override
          public StoreCounts counts() {
            check();
            return super.counts();
          }

          @Override
          public List<InsertResult> insert(List<NewJob> jobs) {
            check();
            return super.insert(jobs);
          }

          @Override
          public Optional<Job> get(JobId id) {
            check();
            return super.get(id);
          }

          @Override
          public JobPage list(JobQuery query) {
            check();
            return super.list(query);
          }

          private void check() {
            if (down.get()) {
              throw new StoreUnavailableException("connection refused", null);
            }
          }
        };
    try (TestServer s = TestServer.start(TestServer.config(), b -> b.store(flaky))) {
      assertThat(s.get("/health/ready").status()).isEqualTo(200);
      down.set(true);
      Response notReady = s.get("/health/ready");
      assertThat(notReady.status()).isEqualTo(503);
      assertThat(notReady.json().get("reason").asText()).contains("store unavailable");
      assertThat(s.get("/health/live").status()).isEqualTo(200);
      Response submit = s.post("/v1/jobs", "{\"type\":\"remote.x\"}");
      assertThat(submit.status()).isEqualTo(503);
      assertThat(submit.code()).isEqualTo("store_unavailable");
      assertThat(submit.retryAfter()).isEqualTo("1");
      assertThat(s.get("/v1/jobs").code()).isEqualTo("store_unavailable");
      assertThat(s.get("/v1/jobs/01890000-0000-7000-8000-000000000000").status()).isEqualTo(503);
      down.set(false);
      assertThat(s.get("/health/ready").status()).isEqualTo(200);
      assertThat(s.post("/v1/jobs", "{\"type\":\"remote.x\"}").status()).isEqualTo(202);
    }
  }

  @Test
  void duringShutdownReadinessIsFalseAndSubmissionsAre503WhileRunningWorkFinishes()
      throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TestServer s =
        TestServer.start(
            TestServer.config().set("shutdown.mode", "DRAIN").set("shutdown.grace", "20s"),
            b ->
                b.handler(
                    "slow",
                    ctx -> {
                      started.countDown();
                      release.await();
                      return "done".getBytes();
                    }));
    String id = s.submit("{\"type\":\"slow\"}");
    started.await();
    Thread closer = new Thread(s::close, "test-closer");
    closer.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> s.get("/health/ready").status() == 503);
      assertThat(s.get("/health/ready").json().get("reason").asText()).isEqualTo("shutting down");
      Response refused = s.post("/v1/jobs", "{\"type\":\"slow\"}");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.code()).isEqualTo("shutting_down");
      assertThat(refused.retryAfter()).isEqualTo("1");
      assertThat(s.status(id)).isEqualTo("RUNNING");
    } finally {
      release.countDown();
      closer.join(30_000);
    }
    assertThat(closer.isAlive()).isFalse();
    assertThat(s.server.engine().get(dev.plimsoll.JobId.parse(id)).orElseThrow().state().name())
        .isEqualTo("SUCCEEDED");
  }
}
