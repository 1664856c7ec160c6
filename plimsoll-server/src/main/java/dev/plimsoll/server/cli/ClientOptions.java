package dev.plimsoll.server.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the server is and how to authenticate: shared by the client commands. */
final class ClientOptions {
  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "${env:PLIMSOLL_URL:-http://127.0.0.1:7280}",
      description = "server URL (env PLIMSOLL_URL; default ${DEFAULT-VALUE})")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:PLIMSOLL_TOKEN}",
      description = "bearer token (env PLIMSOLL_TOKEN)")
  String token;

  /** Sends a request; prints the body to stdout (2xx) or stderr; returns the exit code. */
  int send(String method, String path, String body, Map<String, String> headers) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null && !token.isBlank()) {
      b.header("Authorization", "Bearer " + token);
    }
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) {
        System.out.println(r.body());
        return 0;
      }
      System.err.println("plimsoll: HTTP " + r.statusCode() + ": " + r.body());
      return 1;
    } catch (IOException e) {
      System.err.println("plimsoll: cannot reach " + url + ": " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
