package dev.plimsoll.server.internal;

import static io.javalin.http.HandlerType.GET;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plimsoll.Health;
import dev.plimsoll.HealthStatus;
import dev.plimsoll.JobEngine;
import dev.plimsoll.spi.JobStore;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Stats, health, Prometheus metrics and the OpenAPI document. */
public final class OpsRoutes {
  private final JobEngine engine;
  private final JobStore store;
  private final ServerState state;
  private final PrometheusMeterRegistry registry;
  private final byte[] openapi;

  public OpsRoutes(
      JobEngine engine, JobStore store, ServerState state, PrometheusMeterRegistry registry) {
    this.engine = engine;
    this.store = store;
    this.state = state;
    this.registry = registry;
    this.openapi = resource("/dev/plimsoll/server/openapi.json");
  }

  public void register(Router r) {
    r.add(
        GET,
        "/v1/stats",
        Router.ADMINS,
        (ctx, p) -> ctx.json(Json.MAPPER.valueToTree(engine.stats())));
    r.open(GET, "/health/live", ctx -> ctx.json(status("UP", null)));
    r.open(GET, "/health/ready", this::ready);
    r.open(GET, "/metrics", this::metrics);
    r.open(GET, "/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
  }

  /**
   * Ready unless shutting down, the engine is down, or the store does not answer now (probed on
   * every call: a readiness check must see an outage the moment it happens).
   */
  private void ready(Context ctx) {
    if (!state.accepting()) {
      ctx.status(503).json(status("DOWN", "shutting down"));
      return;
    }
    try {
      store.counts();
    } catch (RuntimeException e) {
      ctx.status(503).json(status("DOWN", "store unavailable: " + e.getMessage()));
      return;
    }
    Health h = engine.health();
    if (h.status() == HealthStatus.DOWN) {
      ctx.status(503).json(status("DOWN", String.join("; ", h.reasons())));
      return;
    }
    ObjectNode o = status(h.status().name(), null);
    o.putPOJO("reasons", h.reasons());
    ctx.json(o);
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
  }

  private static ObjectNode status(String status, String reason) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("status", status);
    if (reason != null) {
      o.put("reason", reason);
    }
    return o;
  }

  private static byte[] resource(String path) {
    try (InputStream in = OpsRoutes.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
