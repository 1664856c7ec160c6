package dev.plimsoll.server;

import static dev.plimsoll.server.TestServer.ACME;
import static dev.plimsoll.server.TestServer.WORKER;
import static dev.plimsoll.server.TestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped Python example worker runs jobs against a real server. */
class PythonWorkerTest {
  static final Path WORKER_SCRIPT = Path.of("examples/python/plimsoll_worker.py");

  @Test
  void thePythonExampleWorkerClaimsRunsAndReportsJobs(@TempDir Path tmp) throws Exception {
    String python = python();
    try (TestServer s = TestServer.start(TestServer.withTokens())) {
      List<String> ok = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ok.add(
            s.submit(
                "{\"type\":\"text.reverse\",\"payload\":{\"text\":\"job-" + i + "\"}}",
                bearer(ACME)));
      }
      String doomed =
          s.submit(
              "{\"type\":\"text.reverse\",\"payload\":{\"fail\":\"on purpose\"}}", bearer(ACME));

      Process p =
          new ProcessBuilder(
                  python,
                  WORKER_SCRIPT.toString(),
                  "--url",
                  s.server.url(),
                  "--token",
                  WORKER,
                  "--type",
                  "text.reverse",
                  "--max",
                  "3",
                  "--wait-millis",
                  "2000",
                  "--heartbeat-seconds",
                  "0.2",
                  "--exit-after",
                  "6")
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("worker.log").toFile())
              .start();
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive());
        assertThat(p.exitValue()).isZero();
      } finally {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      for (int i = 0; i < ok.size(); i++) {
        var job = s.get("/v1/jobs/" + ok.get(i), bearer(ACME)).json();
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.get("result").get("reversed").asText())
            .isEqualTo(new StringBuilder("job-" + i).reverse().toString());
      }
      var dead = s.get("/v1/jobs/" + doomed, bearer(ACME)).json();
      assertThat(dead.get("status").asText()).isEqualTo("DEAD");
      assertThat(dead.get("error").asText()).contains("asked to fail: on purpose");
      assertThat(s.server.engine().remoteWorkers().activeLeases()).isZero();
    }
  }

  private static String python() {
    for (String candidate : List.of("python3", "python")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (Files.isExecutable(Path.of(dir, candidate))) {
          return Path.of(dir, candidate).toString();
        }
      }
    }
    Assumptions.abort("python3 is not on PATH: install Python 3 to run the example worker test");
    return null;
  }
}
