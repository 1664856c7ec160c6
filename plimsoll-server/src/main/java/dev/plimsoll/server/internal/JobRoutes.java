package dev.plimsoll.server.internal;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plimsoll.InvalidJobException;
import dev.plimsoll.Job;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobQuery;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.server.Role;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Submit, read, list and cancel jobs; the dead-letter queue. */
public final class JobRoutes {
  static final Set<String> SUBMIT_FIELDS =
      Set.of(
          "type",
          "payload",
          "queue",
          "priority",
          "runAt",
          "delayMillis",
          "maxAttempts",
          "timeoutMillis");
  private static final Set<String> LIST_PARAMS =
      Set.of("status", "type", "queue", "limit", "cursor");
  private static final Set<String> DEAD_PARAMS = Set.of("type", "queue", "limit", "cursor");
  private static final int DEFAULT_LIMIT = 50;

  private final JobEngine engine;
  private final ServerState state;
  private final BodyReader body;
  private final Clock clock;

  public JobRoutes(JobEngine engine, ServerState state, BodyReader body) {
    this.engine = engine;
    this.state = state;
    this.body = body;
    this.clock = body.clock();
  }

  public void register(Router r) {
    r.add(POST, "/v1/jobs", Router.CLIENTS, this::submit);
    r.add(GET, "/v1/jobs", Router.CLIENTS, this::list);
    r.add(GET, "/v1/jobs/{id}", Router.CLIENTS, this::get);
    r.add(POST, "/v1/jobs/{id}/cancel", Router.CLIENTS, this::cancel);
    r.add(GET, "/v1/dead", Router.CLIENTS, this::listDead);
    r.add(POST, "/v1/dead/{id}/retry", Router.CLIENTS, this::retryDead);
    r.add(DELETE, "/v1/dead/{id}", Router.CLIENTS, this::deleteDead);
    r.add(DELETE, "/v1/dead", Router.ADMINS, this::purgeDead);
  }

  private void submit(Context ctx, Principal caller) {
    if (!state.accepting()) {
      throw ErrorMapper.shuttingDown();
    }
    String key = ctx.header("Idempotency-Key");
    if (key != null
        && (key.isEmpty()
            || key.length() > 200
            || !key.chars().allMatch(c -> c >= 32 && c < 127))) {
      throw ApiError.invalid("Idempotency-Key", "must be 1 to 200 printable ASCII characters");
    }
    ObjectNode o = Json.object(body.read(ctx), SUBMIT_FIELDS);
    JobRequest.Builder b = JobRequest.builder(Json.string(o, "type", true, 128));
    if (o.has("payload")) {
      b.payload(Json.toBytes(o.get("payload")));
    }
    b.queue(Json.string(o, "queue", false, 128));
    Long priority = Json.integer(o, "priority", 0, 9);
    if (priority != null) {
      b.priority(priority.intValue());
    }
    String runAt = Json.string(o, "runAt", false, 64);
    boolean delayed = false;
    if (runAt != null) {
      try {
        Instant at = Instant.parse(runAt);
        b.runAt(at);
        delayed = at.isAfter(clock.instant());
      } catch (DateTimeParseException e) {
        throw ApiError.invalid("runAt", "must be an ISO-8601 instant like 2030-01-01T00:00:00Z");
      }
    }
    Long delay = Json.integer(o, "delayMillis", 0, Duration.ofDays(365).toMillis());
    if (delay != null) {
      b.delay(Duration.ofMillis(delay));
      delayed = delay > 0;
    }
    Long attempts = Json.integer(o, "maxAttempts", 1, 1_000);
    if (attempts != null) {
      b.maxAttempts(attempts.intValue());
    }
    Long timeout = Json.integer(o, "timeoutMillis", 1, Duration.ofHours(24).toMillis());
    if (timeout != null) {
      b.timeout(Duration.ofMillis(timeout));
    }
    b.owner(caller.tenant());
    b.idempotencyKey(JobViews.engineKey(caller.tenant(), key));
    JobId id;
    try {
      id = engine.submit(b.build());
    } catch (InvalidJobException e) {
      throw renamed(e);
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", id.toString());
    // A new job is accepted QUEUED or SCHEDULED; only a repeated Idempotency-Key may name an
    // older job, whose state is read back (one store read, paid only by keyed submissions).
    String accepted = delayed ? JobState.SCHEDULED.name() : JobState.QUEUED.name();
    out.put(
        "status",
        key == null ? accepted : engine.get(id).map(j -> j.state().name()).orElse(accepted));
    ctx.status(202).json(out);
  }

  /** The engine's field names as the API spells them. */
  private static RuntimeException renamed(InvalidJobException e) {
    String api =
        switch (e.field()) {
          case "idempotencyKey" -> "Idempotency-Key";
          case "delay" -> "delayMillis";
          case "timeout" -> "timeoutMillis";
          default -> null;
        };
    if (api == null) {
      return e;
    }
    String msg =
        e.getMessage().startsWith(e.field())
            ? api + e.getMessage().substring(e.field().length())
            : e.getMessage();
    return new ApiError(400, "invalid", msg, api, false);
  }

  private void get(Context ctx, Principal caller) {
    ctx.json(JobViews.job(visible(ctx, caller)));
  }

  private void list(Context ctx, Principal caller) {
    checkParams(ctx, LIST_PARAMS);
    JobState status = null;
    String s = ctx.queryParam("status");
    if (s != null) {
      try {
        status = JobState.valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiError.invalid(
            "status", "must be one of " + java.util.Arrays.toString(JobState.values()));
      }
    }
    ctx.json(JobViews.page(engine.list(query(ctx, caller, status))));
  }

  private void cancel(Context ctx, Principal caller) {
    Job job = visible(ctx, caller);
    if (!engine.cancel(job.id())) {
      throw ApiError.conflict(
          "not_cancellable", "job " + job.id() + " has already ended " + job.state());
    }
    ctx.json(JobViews.status(engine.get(job.id()).orElse(job)));
  }

  private void listDead(Context ctx, Principal caller) {
    checkParams(ctx, DEAD_PARAMS);
    ctx.json(JobViews.page(engine.list(query(ctx, caller, JobState.DEAD))));
  }

  private void retryDead(Context ctx, Principal caller) {
    Job job = visibleDead(ctx, caller);
    if (!engine.requeueDead(job.id())) {
      throw ApiError.notFound("dead job " + job.id());
    }
    ctx.json(JobViews.status(engine.get(job.id()).orElse(job)));
  }

  private void deleteDead(Context ctx, Principal caller) {
    Job job = visibleDead(ctx, caller);
    if (!engine.deleteDead(job.id())) {
      throw ApiError.notFound("dead job " + job.id());
    }
    ctx.status(204);
  }

  private void purgeDead(Context ctx, Principal caller) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("deleted", engine.purgeDead());
    ctx.json(out);
  }

  private JobQuery query(Context ctx, Principal caller, JobState status) {
    int limit = DEFAULT_LIMIT;
    String l = ctx.queryParam("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        throw ApiError.invalid(
            "limit", "must be a whole number between 1 and " + JobQuery.MAX_LIMIT);
      }
    }
    String owner = caller.role() == Role.ADMIN ? null : caller.tenant();
    return new JobQuery(
        status,
        ctx.queryParam("type"),
        ctx.queryParam("queue"),
        owner,
        limit,
        ctx.queryParam("cursor"));
  }

  private static void checkParams(Context ctx, Set<String> allowed) {
    Set<String> given = new HashSet<>(ctx.queryParamMap().keySet());
    given.removeAll(allowed);
    if (!given.isEmpty()) {
      String p = given.iterator().next();
      throw ApiError.invalid(p, "is not a known query parameter; known: " + allowed);
    }
  }

  /** The job if it exists and the caller may see it; 404 otherwise, so existence does not leak. */
  static Job visible(Context ctx, Principal caller, JobEngine engine) {
    JobId id = JobId.parse(ctx.pathParam("id"));
    return engine.get(id).filter(caller::sees).orElseThrow(() -> ApiError.notFound("job " + id));
  }

  private Job visible(Context ctx, Principal caller) {
    return visible(ctx, caller, engine);
  }

  private Job visibleDead(Context ctx, Principal caller) {
    Job job = visible(ctx, caller);
    if (job.state() != JobState.DEAD) {
      throw ApiError.notFound("dead job " + job.id());
    }
    return job;
  }
}
