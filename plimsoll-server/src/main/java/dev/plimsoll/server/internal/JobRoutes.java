package dev.plimsoll.server.internal;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Submit, read, list and cancel jobs; the dead-letter queue. */
public final class JobRoutes {
  private static final Set<String> LIST_PARAMS =
      Set.of("status", "type", "queue", "limit", "cursor");
  private static final Set<String> DEAD_PARAMS = Set.of("type", "queue", "limit", "cursor");
  private static final int DEFAULT_LIMIT = 50;

  private final JobEngine engine;
  private final ServerState state;
  private final BodyReader body;
  private final Clock clock;
  private final SubmitParser parser;
  private final int maxBatchJobs;

  public JobRoutes(JobEngine engine, ServerState state, BodyReader body, int maxBatchJobs) {
    this.engine = engine;
    this.state = state;
    this.body = body;
    this.clock = body.clock();
    this.parser = new SubmitParser(clock);
    this.maxBatchJobs = maxBatchJobs;
  }

  public void register(Router r) {
    r.add(POST, "/v1/jobs", Router.CLIENTS, this::submit);
    r.add(POST, "/v1/jobs/batch", Router.CLIENTS, this::submitBatch);
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
    ObjectNode o = Json.object(body.read(ctx), SubmitParser.FIELDS);
    SubmitParser.Parsed job = parser.parse(o, caller.tenant(), key, "Idempotency-Key");
    JobId id;
    try {
      id = engine.submit(job.request());
    } catch (InvalidJobException e) {
      throw SubmitParser.renamed(e, "Idempotency-Key");
    }
    ctx.status(202).json(accepted(id, job));
  }

  /** Several jobs in one request, accepted all or none ({@link JobEngine#submitAll}). */
  private void submitBatch(Context ctx, Principal caller) {
    if (!state.accepting()) {
      throw ErrorMapper.shuttingDown();
    }
    ObjectNode o = Json.object(body.read(ctx), Set.of("jobs"));
    List<SubmitParser.Parsed> jobs = parser.parseBatch(o, caller.tenant(), maxBatchJobs);
    List<JobRequest> requests = new ArrayList<>(jobs.size());
    jobs.forEach(j -> requests.add(j.request()));
    List<JobId> ids;
    try {
      ids = engine.submitAll(requests);
    } catch (InvalidJobException e) {
      throw SubmitParser.renamed(e, "idempotencyKey");
    }
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (int i = 0; i < ids.size(); i++) {
      out.add(accepted(ids.get(i), jobs.get(i)));
    }
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.set("jobs", out);
    ctx.status(202).json(answer);
  }

  /**
   * {@code {id,status}} of an accepted job. A new job is QUEUED or SCHEDULED; only a repeated
   * idempotency key may name an older job, whose state is read back (one store read, paid only by
   * keyed submissions).
   */
  private ObjectNode accepted(JobId id, SubmitParser.Parsed job) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", id.toString());
    String fresh = job.delayed() ? JobState.SCHEDULED.name() : JobState.QUEUED.name();
    out.put(
        "status",
        job.key() == null ? fresh : engine.get(id).map(j -> j.state().name()).orElse(fresh));
    return out;
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
