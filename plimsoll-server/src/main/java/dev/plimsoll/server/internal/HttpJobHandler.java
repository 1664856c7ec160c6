package dev.plimsoll.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plimsoll.JobContext;
import dev.plimsoll.JobHandler;
import dev.plimsoll.NonRetryableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code http} job type: calls a URL and lets the response code decide. 2xx succeeds (the
 * result is {@code {"status":N,"body":"..."}} with the body capped); 408, 429 and 5xx fail the
 * attempt (retried with backoff); any other code fails it for good.
 *
 * <pre>{"url":"https://...",          required, http or https
 *  "method":"POST",                   optional, default GET
 *  "headers":{"Name":"value"},        optional
 *  "body":"text",                     optional, sent as UTF-8
 *  "timeoutMillis":5000}              optional, else http.timeout</pre>
 *
 * <p>Design: one shared {@link HttpClient} whose executor is a fixed pool of two daemon threads
 * (the JDK's default executor is unbounded); the call blocks the engine worker that runs the
 * attempt, so concurrency is the engine's. The timeout is the smaller of the payload's (or default)
 * and the time left to the attempt's deadline.
 *
 * <p>Only hosts allowed by {@code http.allowedHosts} ({@link HostPolicy}) are called: the host is
 * resolved and every address checked before each request. Redirects are followed here, not by the
 * client (at most {@value #MAX_REDIRECTS}), so each hop is checked too; a refused host fails the
 * job for good with a message naming the host and the setting, and no request is sent to it.
 */
public final class HttpJobHandler implements JobHandler, AutoCloseable {
  public static final String TYPE = "http";
  private static final Set<String> FIELDS =
      Set.of("url", "method", "headers", "body", "timeoutMillis");
  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
  static final int MAX_REDIRECTS = 5;

  private final ObjectMapper json;
  private final Duration defaultTimeout;
  private final int maxResponseBytes;
  private final Clock clock;
  private final ExecutorService executor;
  private final HttpClient client;
  private final HostPolicy hosts;

  public HttpJobHandler(
      ObjectMapper json,
      Duration defaultTimeout,
      int maxResponseBytes,
      Clock clock,
      HostPolicy hosts) {
    this.json = json;
    this.hosts = hosts;
    this.defaultTimeout = defaultTimeout;
    this.maxResponseBytes = maxResponseBytes;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "plimsoll-http-job-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.client =
        HttpClient.newBuilder()
            .executor(executor)
            .connectTimeout(defaultTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public byte[] handle(JobContext ctx) throws Exception {
    HttpRequest request = request(ctx);
    HttpResponse<InputStream> response = send(request);
    for (int hops = 0; isRedirect(response.statusCode()); hops++) {
      String location = response.headers().firstValue("Location").orElse(null);
      response.body().close();
      if (location == null) {
        break;
      }
      if (hops == MAX_REDIRECTS) {
        throw new NonRetryableException(
            "http " + request.uri() + " redirected more than " + MAX_REDIRECTS + " times");
      }
      request = redirected(request, location, response.statusCode());
      response = send(request);
    }
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readNBytes(maxResponseBytes);
    }
    int status = response.statusCode();
    ObjectNode result = json.createObjectNode();
    result.put("status", status);
    result.put("body", new String(body, StandardCharsets.UTF_8));
    String summary = "http " + request.method() + " " + request.uri() + " answered " + status;
    if (status >= 200 && status < 300) {
      return json.writeValueAsBytes(result);
    }
    if (status == 408 || status == 429 || status >= 500) {
      throw new IOException(summary);
    }
    throw new NonRetryableException(summary);
  }

  private HttpResponse<InputStream> send(HttpRequest request) throws Exception {
    String refused = hosts.refusal(request.uri().getHost());
    if (refused != null) {
      throw new NonRetryableException("payload.url refused: " + refused);
    }
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (java.net.http.HttpTimeoutException e) {
      throw new IOException("http " + request.method() + " " + request.uri() + " timed out", e);
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** The next hop: 307 and 308 keep the method and body, the others become a GET (as browsers). */
  private static HttpRequest redirected(HttpRequest from, String location, int status)
      throws NonRetryableException {
    URI next;
    try {
      next = from.uri().resolve(location);
    } catch (IllegalArgumentException e) {
      throw new NonRetryableException(
          "http " + from.uri() + " redirected to a bad URI: " + location);
    }
    if (next.getScheme() == null
        || !(next.getScheme().equals("http") || next.getScheme().equals("https"))
        || next.getHost() == null) {
      throw new NonRetryableException("http " + from.uri() + " redirected to " + next);
    }
    boolean keep = status == 307 || status == 308 || from.method().equals("HEAD");
    HttpRequest.Builder b =
        HttpRequest.newBuilder(next)
            .timeout(from.timeout().orElseThrow())
            .method(
                keep ? from.method() : "GET",
                keep
                    ? from.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody())
                    : HttpRequest.BodyPublishers.noBody());
    from.headers()
        .map()
        .forEach(
            (name, values) -> {
              if (keep || !name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> b.header(name, v));
              }
            });
    return b.build();
  }

  private HttpRequest request(JobContext ctx) throws NonRetryableException {
    JsonNode p;
    try {
      p = json.readTree(ctx.payload());
    } catch (IOException e) {
      throw new NonRetryableException("payload is not JSON: " + e.getMessage());
    }
    if (p == null || !p.isObject()) {
      throw new NonRetryableException("payload must be a JSON object with a url");
    }
    for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new NonRetryableException("payload." + f + " is not a known field; known: " + FIELDS);
      }
    }
    JsonNode url = p.get("url");
    if (url == null || !url.isTextual()) {
      throw new NonRetryableException("payload.url must be a string");
    }
    URI uri;
    try {
      uri = URI.create(url.asText());
    } catch (IllegalArgumentException e) {
      throw new NonRetryableException("payload.url is not a URI: " + e.getMessage());
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new NonRetryableException("payload.url must be an http or https URL with a host");
    }
    String method = text(p, "method", "GET");
    if (!METHODS.contains(method)) {
      throw new NonRetryableException("payload.method must be one of " + METHODS);
    }
    Duration timeout = defaultTimeout;
    JsonNode t = p.get("timeoutMillis");
    if (t != null) {
      if (!t.canConvertToLong() || t.asLong() < 1 || t.asLong() > 3_600_000) {
        throw new NonRetryableException("payload.timeoutMillis must be 1 to 3600000");
      }
      timeout = Duration.ofMillis(t.asLong());
    }
    Duration left = Duration.between(clock.instant(), ctx.deadline());
    if (left.compareTo(timeout) < 0) {
      timeout = left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
    }
    String body = text(p, "body", null);
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).method(method, publisher);
    JsonNode headers = p.get("headers");
    if (headers != null) {
      if (!headers.isObject()) {
        throw new NonRetryableException("payload.headers must be an object of strings");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> h = it.next();
        if (!h.getValue().isTextual()) {
          throw new NonRetryableException("payload.headers." + h.getKey() + " must be a string");
        }
        try {
          b.header(h.getKey(), h.getValue().asText());
        } catch (IllegalArgumentException e) {
          throw new NonRetryableException("payload.headers." + h.getKey() + ": " + e.getMessage());
        }
      }
    }
    return b.build();
  }

  private static String text(JsonNode p, String field, String fallback)
      throws NonRetryableException {
    JsonNode v = p.get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw new NonRetryableException("payload." + field + " must be a string");
    }
    return v.asText();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
