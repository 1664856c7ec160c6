package dev.plimsoll.server.internal;

import static io.javalin.http.HandlerType.POST;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.LeaseStatus;
import dev.plimsoll.RemoteClaim;
import dev.plimsoll.RemoteWorkers;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The remote-worker protocol: claim by long-poll, then heartbeat, complete or fail with the lease's
 * fencing token. A claim holds no request thread while it waits: the engine's future is handed to
 * Javalin ({@code ctx.future}), which suspends the request. Workers serve job types, not tenants: a
 * worker token claims the jobs of every tenant.
 */
public final class WorkerRoutes {
  private static final Set<String> CLAIM_FIELDS = Set.of("workerId", "types", "max", "waitMillis");
  private static final Set<String> TOKEN_FIELDS = Set.of("token");
  private static final Set<String> COMPLETE_FIELDS = Set.of("token", "result");
  private static final Set<String> FAIL_FIELDS = Set.of("token", "error", "retryable");

  private final JobEngine engine;
  private final BodyReader body;

  public WorkerRoutes(JobEngine engine, BodyReader body) {
    this.engine = engine;
    this.body = body;
  }

  public void register(Router r) {
    r.add(POST, "/v1/workers/claim", Router.WORKERS, this::claim);
    r.add(POST, "/v1/jobs/{id}/heartbeat", Router.WORKERS, this::heartbeat);
    r.add(POST, "/v1/jobs/{id}/complete", Router.WORKERS, this::complete);
    r.add(POST, "/v1/jobs/{id}/fail", Router.WORKERS, this::fail);
  }

  private void claim(Context ctx, Principal caller) {
    ObjectNode o = Json.object(body.read(ctx), CLAIM_FIELDS);
    String worker = Json.string(o, "workerId", true, 100);
    Set<String> types = new LinkedHashSet<>(Json.strings(o, "types", 100));
    Long max = Json.integer(o, "max", 1, RemoteWorkers.MAX_CLAIM);
    Long wait = Json.integer(o, "waitMillis", 0, RemoteWorkers.MAX_WAIT.toMillis());
    RemoteClaim claim =
        new RemoteClaim(
            worker,
            types,
            max == null ? 1 : max.intValue(),
            Duration.ofMillis(wait == null ? 30_000 : wait));
    var future = engine.remoteWorkers().claim(claim);
    ctx.future(
        () ->
            future.thenAccept(
                leases -> {
                  ObjectNode out = Json.MAPPER.createObjectNode();
                  ArrayNode jobs = out.putArray("jobs");
                  leases.forEach(l -> jobs.add(JobViews.lease(l)));
                  ctx.json(out);
                }));
  }

  private void heartbeat(Context ctx, Principal caller) {
    JobId id = JobId.parse(ctx.pathParam("id"));
    ObjectNode o = Json.object(body.read(ctx), TOKEN_FIELDS);
    LeaseStatus s = engine.remoteWorkers().heartbeat(id, token(o));
    if (s == LeaseStatus.LOST) {
      throw lost(id);
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", id.toString());
    out.put("lease", s.name());
    ctx.json(out);
  }

  private void complete(Context ctx, Principal caller) {
    JobId id = JobId.parse(ctx.pathParam("id"));
    ObjectNode o = Json.object(body.read(ctx), COMPLETE_FIELDS);
    long token = token(o);
    byte[] result = o.has("result") ? Json.toBytes(o.get("result")) : new byte[0];
    if (!engine.remoteWorkers().succeed(id, token, result)) {
      throw lost(id);
    }
    done(ctx, id);
  }

  private void fail(Context ctx, Principal caller) {
    JobId id = JobId.parse(ctx.pathParam("id"));
    ObjectNode o = Json.object(body.read(ctx), FAIL_FIELDS);
    long token = token(o);
    String error = Json.string(o, "error", true, 1_000_000);
    Boolean retryable = Json.bool(o, "retryable");
    if (!engine.remoteWorkers().fail(id, token, error, retryable == null || retryable)) {
      throw lost(id);
    }
    done(ctx, id);
  }

  private void done(Context ctx, JobId id) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", id.toString());
    out.put("status", engine.get(id).map(j -> j.state().name()).orElse("UNKNOWN"));
    ctx.json(out);
  }

  private static long token(ObjectNode o) {
    Long t = Json.integer(o, "token", Long.MIN_VALUE, Long.MAX_VALUE);
    if (t == null) {
      throw ApiError.invalid("token", "is required");
    }
    return t;
  }

  private static ApiError lost(JobId id) {
    return ApiError.conflict(
        "lease_lost", "the lease on job " + id + " is not held with this token (expired or stale)");
  }
}
