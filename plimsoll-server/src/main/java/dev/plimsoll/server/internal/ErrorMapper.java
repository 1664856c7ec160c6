package dev.plimsoll.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.IllegalTransitionException;
import dev.plimsoll.InvalidJobException;
import dev.plimsoll.MemoryPressureException;
import dev.plimsoll.PlimsollException;
import dev.plimsoll.QueueFullException;
import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.internal.KeyedRateLimitedLog;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into the API's JSON error with the right status, {@code Retry-After} on 429
 * and 503, a counter per code ({@code plimsoll_http_errors_total}; the codes are a fixed set), and
 * a rate-limited log line only for server faults (5xx), never a stack trace per refused request.
 */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger("dev.plimsoll.server");
  private final KeyedRateLimitedLog log = new KeyedRateLimitedLog(LOG, 10, TimeUnit.SECONDS);
  private final MeterRegistry registry;
  private final String retryAfterSeconds;
  private final ServerState state;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public ErrorMapper(MeterRegistry registry, Duration retryAfter, ServerState state) {
    this.registry = registry;
    this.retryAfterSeconds = Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    this.state = state;
  }

  public void handle(Exception e, Context ctx) {
    write(ctx, map(e));
  }

  public ApiError map(Throwable e) {
    if (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof ApiError a) {
      return a;
    }
    if (e instanceof InvalidJobException i) {
      return new ApiError(400, "invalid", i.getMessage(), i.field(), false);
    }
    if (e instanceof QueueFullException q) {
      return new ApiError(429, q.code(), q.getMessage(), null, true);
    }
    if (e instanceof CapacityExceededException c) {
      return new ApiError(429, c.code(), c.getMessage(), null, true);
    }
    if (e instanceof MemoryPressureException m) {
      return new ApiError(503, m.code(), m.getMessage(), null, true);
    }
    if (e instanceof EngineClosedException c) {
      return state.accepting()
          ? new ApiError(503, c.code(), c.getMessage(), null, true)
          : shuttingDown();
    }
    if (e instanceof StoreUnavailableException s) {
      log.warn("store", "store unavailable: {}", s.getMessage());
      return new ApiError(503, s.code(), s.getMessage(), null, true);
    }
    if (e instanceof IllegalTransitionException t) {
      return new ApiError(409, t.code(), t.getMessage(), null, false);
    }
    if (e instanceof PlimsollException p) {
      return new ApiError(409, p.code(), p.getMessage(), null, false);
    }
    if (e instanceof org.eclipse.jetty.http.BadMessageException b) {
      return fromJavalin(b.getCode(), b.getReason());
    }
    if (e instanceof HttpResponseException h) {
      return fromJavalin(h.getStatus(), h.getMessage());
    }
    log.warn("internal", "internal error answering a request: {}", e.toString(), e);
    return new ApiError(500, "internal", "internal server error", null, false);
  }

  public static ApiError shuttingDown() {
    return new ApiError(503, "shutting_down", "the server is shutting down", null, true);
  }

  public static ApiError fromJavalin(int status, String message) {
    String code =
        switch (status) {
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 413 -> "payload_too_large";
          case 408 -> "request_timeout";
          case 503 -> "unavailable";
          default -> status >= 500 ? "internal" : "bad_request";
        };
    return new ApiError(
        status, code, message == null || message.isBlank() ? code : message, null, false);
  }

  public void write(Context ctx, ApiError a) {
    counters
        .computeIfAbsent(
            a.code(),
            c ->
                Counter.builder("plimsoll.http.errors")
                    .description("error answers of the HTTP API, by code")
                    .tag("code", c)
                    .register(registry))
        .increment();
    ObjectNode body = Json.MAPPER.createObjectNode();
    ObjectNode err = body.putObject("error");
    err.put("code", a.code());
    err.put("message", a.getMessage());
    if (a.field() != null) {
      err.put("field", a.field());
    }
    if (a.retryAfter()) {
      ctx.header("Retry-After", retryAfterSeconds);
    }
    if (a.status() == 413) {
      ctx.header("Connection", "close");
    }
    ctx.status(a.status()).contentType("application/json").result(body.toString());
  }
}
