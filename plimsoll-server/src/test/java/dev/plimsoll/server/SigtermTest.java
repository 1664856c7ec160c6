package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plimsoll serve} as a child process: SIGTERM while command jobs run drains for the grace,
 * exits 0, and a restart on the same data directory finishes every accepted job.
 */
class SigtermTest {
  private static final Pattern LISTENING = Pattern.compile("plimsoll listening on (http://\\S+)");
  private final HttpClient http = HttpClient.newHttpClient();

  /** A started child server and the URL it printed. */
  private record Child(Process process, String url, StringBuilder output) {}

  private Child start(Path data, Path config) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.plimsoll.server.cli.Main",
                "serve",
                "--port",
                "0",
                "--data",
                data.toString(),
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .start();
    StringBuilder out = new StringBuilder();
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (out) {
                    out.append(line).append('\n');
                  }
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    url.complete(m.group(1));
                  }
                }
              } catch (IOException e) {
                url.completeExceptionally(e);
              }
              url.completeExceptionally(new IllegalStateException("server exited: " + out));
            },
            "child-output");
    reader.setDaemon(true);
    reader.start();
    return new Child(p, url.get(60, TimeUnit.SECONDS), out);
  }

  private JsonNode call(String method, String url, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return TestServer.JSON.readTree(r.body());
  }

  private String status(String url, String id) throws Exception {
    return call("GET", url + "/v1/jobs/" + id, null).get("status").asText();
  }

  @Test
  void sigtermDrainsExitsZeroAndNoAcceptedJobIsLost(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Path config = dir.resolve("plimsoll.yaml");
    Files.writeString(
        config,
        "engine:\n  concurrency: 2\n  maxAttempts: 5\n  lease: 1s\n  pollInterval: 50ms\n"
            + "  backoff: {initial: 10ms, max: 50ms}\n"
            + "process:\n  maxConcurrency: 2\n"
            + "shutdown:\n  mode: DRAIN\n  grace: 1s\n");
    Child first = start(data, config);
    List<String> ids = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        JsonNode r =
            call(
                "POST",
                first.url() + "/v1/jobs",
                "{\"type\":\"command\",\"payload\":{\"argv\":[\"sleep\",\"0.2\"]}}");
        ids.add(r.get("id").asText());
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> status(first.url(), ids.get(0)).equals("SUCCEEDED"));

      long pending = 0;
      for (String id : ids) {
        pending += status(first.url(), id).equals("SUCCEEDED") ? 0 : 1;
      }
      // 20 jobs of 0.2 s on 2 slots cannot all finish in the 1 s grace: some cross the restart.
      assertThat(pending).isGreaterThan(5);

      first.process().toHandle().destroy(); // SIGTERM
      assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(first.process().exitValue()).as(first.output().toString()).isZero();
      synchronized (first.output()) {
        assertThat(first.output().toString())
            .contains("shutting down")
            .contains("plimsoll server stopped");
      }
    } finally {
      first.process().destroyForcibly();
    }
    Child second = start(data, config);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                for (String id : ids) {
                  assertThat(status(second.url(), id)).as(id).isEqualTo("SUCCEEDED");
                }
              });
    } finally {
      second.process().destroy();
      second.process().waitFor(60, TimeUnit.SECONDS);
      second.process().destroyForcibly();
    }
    assertThat(second.process().exitValue()).isZero();
  }
}
