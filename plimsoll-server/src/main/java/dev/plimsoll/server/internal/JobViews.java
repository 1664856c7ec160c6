package dev.plimsoll.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plimsoll.Job;
import dev.plimsoll.JobPage;
import dev.plimsoll.RemoteLease;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** JSON views of jobs, pages and leases; and the tenant scoping of idempotency keys. */
public final class JobViews {
  private JobViews() {}

  public static ObjectNode job(Job j) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", j.id().toString());
    o.put("type", j.type());
    o.put("queue", j.queue());
    o.put("status", j.state().name());
    o.put("tenant", j.owner());
    o.put("idempotencyKey", clientKey(j.owner(), j.idempotencyKey()));
    o.put("priority", j.priority());
    o.put("attempts", j.attempts());
    o.put("maxAttempts", j.maxAttempts());
    o.put("timeoutMillis", j.timeout().toMillis());
    o.put("createdAt", String.valueOf(j.createdAt()));
    o.put("runAt", String.valueOf(j.runAt()));
    o.put("updatedAt", String.valueOf(j.updatedAt()));
    o.set("payload", Json.stored(j.payload()));
    o.set("result", Json.stored(j.result()));
    o.put("error", j.error());
    return o;
  }

  public static ObjectNode status(Job j) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", j.id().toString());
    o.put("status", j.state().name());
    return o;
  }

  public static ObjectNode page(JobPage page) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode jobs = o.putArray("jobs");
    page.jobs().forEach(j -> jobs.add(job(j)));
    o.put("nextCursor", page.nextCursor());
    return o;
  }

  public static ObjectNode lease(RemoteLease l) {
    Job j = l.job();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", j.id().toString());
    o.put("type", j.type());
    o.put("queue", j.queue());
    o.put("tenant", j.owner());
    o.put("attempt", j.attempts());
    o.put("maxAttempts", j.maxAttempts());
    o.put("timeoutMillis", j.timeout().toMillis());
    o.put("token", l.token());
    o.put("leaseUntil", l.leaseUntil().toString());
    o.set("payload", Json.stored(j.payload()));
    return o;
  }

  /**
   * The key the engine stores for a tenant's {@code Idempotency-Key}: prefixed with a digest of the
   * tenant, so two tenants using the same key never see each other's job.
   */
  public static String engineKey(String tenant, String key) {
    return key == null || tenant == null ? key : prefix(tenant) + key;
  }

  private static String clientKey(String tenant, String stored) {
    if (stored == null || tenant == null) {
      return stored;
    }
    String p = prefix(tenant);
    return stored.startsWith(p) ? stored.substring(p.length()) : stored;
  }

  private static String prefix(String tenant) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(tenant.getBytes(StandardCharsets.UTF_8));
      return "t" + HexFormat.of().formatHex(d, 0, 8) + ":";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
