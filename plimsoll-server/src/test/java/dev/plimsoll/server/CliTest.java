package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.server.Cli.Run;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The {@code plimsoll} CLI: help a new user can follow, and client commands against a server. */
@Isolated
class CliTest {

  @Test
  void helpListsEveryCommandAndServeHelpNamesItsOptionsAndDefaults() {
    Run top = Cli.run("--help");
    assertThat(top.exit()).isZero();
    assertThat(top.out()).contains("serve", "submit", "job", "stats", "plimsoll serve");
    Run serve = Cli.run("serve", "--help");
    assertThat(serve.out()).contains("--config", "--port", "--data", "127.0.0.1:7280", "PLIMSOLL_");
    Run submit = Cli.run("submit", "--help");
    assertThat(submit.out()).contains("--payload", "--url", "--token", "PLIMSOLL_URL");
  }

  @Test
  void submitJobAndStatsTalkToARunningServer() {
    try (TestServer s =
        TestServer.start(
            TestServer.withTokens(), b -> b.handler("noop", ctx -> "fine".getBytes()))) {
      Run submitted =
          Cli.run(
              "submit",
              "noop",
              "--payload",
              "{\"a\":1}",
              "--url",
              s.server.url(),
              "--token",
              TestServer.ACME);
      assertThat(submitted.exit()).as(submitted.err()).isZero();
      Matcher m = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(submitted.out());
      assertThat(m.find()).isTrue();
      String id = m.group(1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> s.status(id, TestServer.bearer(TestServer.ACME)).equals("SUCCEEDED"));

      Run job = Cli.run("job", id, "--url", s.server.url(), "--token", TestServer.ACME);
      assertThat(job.exit()).isZero();
      assertThat(job.out())
          .contains("\"status\":\"SUCCEEDED\"", "\"result\":\"fine\"", "\"payload\":{\"a\":1}");

      Run stats = Cli.run("stats", "--url", s.server.url(), "--token", TestServer.ADMIN);
      assertThat(stats.exit()).isZero();
      assertThat(stats.out()).contains("\"totalSucceeded\":1");

      Run denied = Cli.run("stats", "--url", s.server.url(), "--token", TestServer.ACME);
      assertThat(denied.exit()).isEqualTo(1);
      assertThat(denied.err()).contains("403", "forbidden");
      Run badJson = Cli.run("submit", "noop", "--payload", "{oops", "--url", s.server.url());
      assertThat(badJson.exit()).isEqualTo(2);
      assertThat(badJson.err()).contains("--payload");
    }
  }

  @Test
  void serveRefusesToBindBeyondLoopbackWithoutTokensAndSaysWhy() throws Exception {
    java.nio.file.Path cfg = java.nio.file.Files.createTempFile("plimsoll", ".yaml");
    try {
      java.nio.file.Files.writeString(
          cfg, "server:\n  host: 0.0.0.0\n  port: 0\nstore:\n  kind: memory\n");
      Run r = Cli.run("serve", "--config", cfg.toString());
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("server.host", "without auth.tokens");
    } finally {
      java.nio.file.Files.deleteIfExists(cfg);
    }
  }
}
