package dev.plimsoll.redis;

import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import dev.plimsoll.JobPage;
import dev.plimsoll.JobQuery;
import dev.plimsoll.JobState;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.QueueFullException;
import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.internal.RateLimitedLog;
import dev.plimsoll.redis.internal.Args;
import dev.plimsoll.redis.internal.Ids;
import dev.plimsoll.redis.internal.Keys;
import dev.plimsoll.redis.internal.Lister;
import dev.plimsoll.redis.internal.Records;
import dev.plimsoll.redis.internal.Scripts;
import dev.plimsoll.redis.internal.WakeSubscriber;
import dev.plimsoll.spi.CancelResult;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.HeartbeatResult;
import dev.plimsoll.spi.InsertResult;
import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.LeaseRenewal;
import dev.plimsoll.spi.NewJob;
import dev.plimsoll.spi.PurgeResult;
import dev.plimsoll.spi.StoreContext;
import dev.plimsoll.spi.StoreCounts;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link JobStore} on Redis, for several engines sharing one Redis server.
 *
 * <p>Every state change is one Lua script, so Redis applies it whole or not at all: a node that
 * dies between two calls leaves no job half-moved. A claimed job is recorded in Redis as RUNNING,
 * in a sorted set scored by its lease expiry, before the worker sees it; a node that dies stops
 * heartbeating and {@link #recoverExpiredLeases} hands its jobs to another node. Each claim bumps
 * the job's fencing token, and completions and heartbeats with an older token change nothing.
 *
 * <p>Records of SUCCEEDED, CANCELLED and DEAD jobs expire by Redis TTL (real time; by default the
 * retention's max age), together with their idempotency key; the finished-job indexes carry a TTL
 * no shorter than their newest record and are trimmed of expired entries by every later write and
 * by {@link #purge}, which also applies retention by the engine's clock.
 *
 * <p>Thread-safe: all threads share one multiplexed Lettuce connection (commands from concurrent
 * workers are pipelined). A second connection subscribes to the wake-up channel.
 *
 * <pre>{@code
 * JobStore store = RedisJobStore.builder().uri("redis://127.0.0.1:6379").prefix("app:jobs:").build();
 * }</pre>
 */
public final class RedisJobStore implements JobStore {
  private static final Logger log = LoggerFactory.getLogger(RedisJobStore.class);
  private static final int DEAD_PURGE_BATCH = 1_000;

  /** Longest wait between two reconnection attempts after Redis went away. */
  private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

  private final Builder config;
  private final Keys keys;
  private final Scripts scripts = new Scripts();
  private final AtomicInteger roundRobin = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final RateLimitedLog failures = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private volatile StoreContext context;
  private volatile RedisClient client;
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  private volatile RedisCommands<byte[], byte[]> redis;
  private volatile WakeSubscriber wake;
  private volatile ClientResources resources;

  private RedisJobStore(Builder config) {
    this.config = config;
    this.keys = new Keys(config.prefix);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The key prefix every key of this store starts with. */
  public String prefix() {
    return config.prefix;
  }

  @Override
  public void open(StoreContext context) {
    this.context = Objects.requireNonNull(context, "context");
    RedisURI uri = RedisURI.create(config.uri);
    uri.setTimeout(config.commandTimeout);
    ClientResources res =
        ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(10), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
            .build();
    RedisClient c = RedisClient.create(res, uri);
    c.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout))
            .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout).build())
            .build());
    c.addListener(new ConnectionLog(context.workAvailable()));
    try {
      connection = c.connect(ByteArrayCodec.INSTANCE);
      redis = connection.sync();
      scripts.load(redis);
      wake = new WakeSubscriber(c, keys.wakeChannel(), context.workAvailable());
    } catch (RedisException e) {
      if (connection != null) {
        connection.close();
      }
      c.shutdown(0, 0, TimeUnit.SECONDS);
      res.shutdown(0, 0, TimeUnit.SECONDS);
      throw new StoreUnavailableException(
          "cannot open the Redis store at " + safeUri() + ": " + e.getMessage(), e);
    }
    client = c;
    resources = res;
    log.info("Redis job store open at {} with key prefix '{}'", safeUri(), config.prefix);
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public boolean leases() {
    return true;
  }

  @Override
  public List<InsertResult> insert(List<NewJob> jobs) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    Map<String, QueueConfig> queues = new LinkedHashMap<>();
    for (NewJob j : jobs) {
      queues.computeIfAbsent(j.queue(), context.queues());
    }
    Args args = common().add(queues.size());
    for (Entry<String, QueueConfig> q : queues.entrySet()) {
      args.add(q.getKey()).add(q.getValue().capacity()).add(q.getValue().overflow().name());
    }
    for (NewJob j : jobs) {
      int flags = (j.owner() != null ? 1 : 0) | (j.idempotencyKey() != null ? 2 : 0);
      args.add(Ids.bytes(j.id()))
          .add(j.queue())
          .add(j.type())
          .add(j.payload())
          .add(j.owner())
          .add(j.idempotencyKey())
          .add(flags)
          .add(j.priority())
          .add(j.maxAttempts())
          .add(j.timeoutMillis())
          .add(j.createdAt().toEpochMilli())
          .add(j.runAt().toEpochMilli());
    }
    List<Object> reply = run("insert", Scripts.Name.INSERT, ScriptOutputType.MULTI, args);
    if (reply.size() == 3 && "FULL".equals(Args.text(reply.get(0)))) {
      throw new QueueFullException(
          Args.text(reply.get(1)), Long.parseLong(Args.text(reply.get(2))));
    }
    List<InsertResult> out = new ArrayList<>(jobs.size());
    for (int i = 0; i < reply.size(); i += 3) {
      byte[] dropped = (byte[]) reply.get(i + 2);
      out.add(
          new InsertResult(
              Ids.id((byte[]) reply.get(i)),
              "1".equals(Args.text(reply.get(i + 1))),
              dropped.length == 0 ? null : Ids.id(dropped)));
    }
    return out;
  }

  @Override
  public List<ClaimedJob> claim(ClaimRequest request) {
    if (request.types().isEmpty()) {
      return List.of();
    }
    long now = request.now().toEpochMilli();
    long leaseUntil = request.now().plus(request.lease()).toEpochMilli();
    Args args =
        common()
            .add(now)
            .add(leaseUntil)
            .add(request.nodeId())
            .add(request.max())
            .add(roundRobin.getAndIncrement() & Integer.MAX_VALUE);
    request.types().forEach(args::add);
    List<Object> reply = run("claim", Scripts.Name.CLAIM, ScriptOutputType.MULTI, args);
    List<ClaimedJob> out = new ArrayList<>();
    for (int i = 0; i < reply.size(); ) {
      JobId id = Ids.id((byte[]) reply.get(i));
      int n = ((Long) reply.get(i + 1)).intValue();
      Map<String, byte[]> rec = Records.fromFlat(reply, i + 2, n);
      out.add(
          new ClaimedJob(
              Records.job(id, rec),
              Records.number(rec, "tk"),
              Instant.ofEpochMilli(Records.number(rec, "l"))));
      i += 2 + n;
    }
    return out;
  }

  @Override
  public boolean[] complete(List<Completion> completions) {
    boolean[] applied = new boolean[completions.size()];
    if (completions.isEmpty()) {
      return applied;
    }
    Args args = common();
    for (Completion c : completions) {
      int flags = (c.result() != null ? 1 : 0) | (c.error() != null ? 2 : 0);
      args.add(Ids.bytes(c.id()))
          .add(c.token())
          .add(c.next().name())
          .add(c.result())
          .add(c.error())
          .add(c.runAt() == null ? 0 : c.runAt().toEpochMilli())
          .add(c.at().toEpochMilli())
          .add(flags);
    }
    List<Object> reply = run("complete", Scripts.Name.COMPLETE, ScriptOutputType.MULTI, args);
    for (int i = 0; i < applied.length; i++) {
      applied[i] = ((Long) reply.get(i)) == 1L;
    }
    return applied;
  }

  @Override
  public HeartbeatResult heartbeat(List<LeaseRenewal> running, Instant until) {
    if (running.isEmpty()) {
      return HeartbeatResult.NONE;
    }
    Args args = common().add(until.toEpochMilli());
    for (LeaseRenewal r : running) {
      args.add(Ids.bytes(r.id())).add(r.token());
    }
    List<Object> reply = run("heartbeat", Scripts.Name.HEARTBEAT, ScriptOutputType.MULTI, args);
    int lostCount = ((Long) reply.get(0)).intValue();
    Set<JobId> lost = new HashSet<>();
    Set<JobId> cancel = new HashSet<>();
    for (int i = 1; i < reply.size(); i++) {
      (i <= lostCount ? lost : cancel).add(Ids.id((byte[]) reply.get(i)));
    }
    return new HeartbeatResult(lost, cancel);
  }

  @Override
  public int promoteDue(Instant now, int max) {
    Args args = common().add(now.toEpochMilli()).add(max);
    Long n = run("promoteDue", Scripts.Name.PROMOTE, ScriptOutputType.INTEGER, args);
    return n.intValue();
  }

  @Override
  public Optional<Instant> nextRunAt() {
    List<ScoredValue<byte[]>> first =
        call("nextRunAt", () -> redis.zrangeWithScores(keys.scheduled(), 0, 0));
    return first.isEmpty()
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli((long) first.get(0).getScore()));
  }

  @Override
  public int recoverExpiredLeases(Instant now, int max) {
    Args args = common().add(now.toEpochMilli()).add(max);
    Long n = run("recoverExpiredLeases", Scripts.Name.RECOVER, ScriptOutputType.INTEGER, args);
    return n.intValue();
  }

  @Override
  public Optional<Job> get(JobId id) {
    Map<byte[], byte[]> raw = call("get", () -> redis.hgetall(keys.job(Ids.bytes(id))));
    return raw.isEmpty() ? Optional.empty() : Optional.of(Records.job(id, Records.fromMap(raw)));
  }

  @Override
  public JobPage list(JobQuery query) {
    return call("list", () -> new Lister(redis, keys).list(query));
  }

  @Override
  public CancelResult cancel(JobId id, String reason, Instant now) {
    Args args = common().add(Ids.bytes(id)).add(reason).add(now.toEpochMilli());
    byte[] r = run("cancel", Scripts.Name.CANCEL, ScriptOutputType.VALUE, args);
    return CancelResult.valueOf(Args.text(r));
  }

  @Override
  public boolean requeueDead(JobId id, Instant now) {
    Args args = common().add("requeue").add(Ids.bytes(id)).add(now.toEpochMilli());
    Long n = run("requeueDead", Scripts.Name.DEAD, ScriptOutputType.INTEGER, args);
    return n == 1L;
  }

  @Override
  public boolean deleteDead(JobId id) {
    Args args = common().add("delete").add(Ids.bytes(id));
    Long n = run("deleteDead", Scripts.Name.DEAD, ScriptOutputType.INTEGER, args);
    return n == 1L;
  }

  @Override
  public long purgeDead() {
    long total = 0;
    while (true) {
      Args args = common().add("purge").add(DEAD_PURGE_BATCH);
      Long n = run("purgeDead", Scripts.Name.DEAD, ScriptOutputType.INTEGER, args);
      total += n;
      if (n < DEAD_PURGE_BATCH) {
        return total;
      }
    }
  }

  @Override
  public PurgeResult purge(Instant now, int batch) {
    Args args =
        common()
            .add(now.toEpochMilli())
            .add(context.finishedRetention().maxAge().toMillis())
            .add(context.deadRetention().maxAge().toMillis())
            .add(Math.max(1, batch));
    List<Object> r = run("purge", Scripts.Name.PURGE, ScriptOutputType.MULTI, args);
    return new PurgeResult((Long) r.get(0), (Long) r.get(1), ((Long) r.get(2)) == 1L);
  }

  @Override
  public StoreCounts counts() {
    List<Object> r = run("counts", Scripts.Name.COUNTS, ScriptOutputType.MULTI, common());
    Map<JobState, Long> byState = new EnumMap<>(JobState.class);
    byState.put(JobState.SCHEDULED, (Long) r.get(0));
    byState.put(JobState.RUNNING, (Long) r.get(1));
    byState.put(JobState.SUCCEEDED, (Long) r.get(2));
    byState.put(JobState.CANCELLED, (Long) r.get(3));
    byState.put(JobState.DEAD, (Long) r.get(4));
    Map<String, Long> pending = new HashMap<>();
    long totalPending = 0;
    for (int i = 5; i < r.size(); i += 2) {
      long n = (Long) r.get(i + 1);
      pending.put(Args.text(r.get(i)), n);
      totalPending += n;
    }
    byState.put(JobState.QUEUED, totalPending - byState.get(JobState.SCHEDULED));
    return new StoreCounts(byState, pending);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    RedisClient c = client;
    try {
      if (wake != null) {
        wake.close();
      }
      if (connection != null) {
        connection.close();
      }
    } finally {
      if (c != null) {
        c.shutdown(0, 2, TimeUnit.SECONDS);
      }
      if (resources != null) {
        resources.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }
  }

  /** ARGV[1..5] of every script: prefix and the TTLs and count bounds of finished jobs. */
  private Args common() {
    StoreContext ctx = context;
    if (ctx == null) {
      throw new IllegalStateException("RedisJobStore.open(context) must be called first");
    }
    Duration finishedTtl =
        config.finishedTtl != null ? config.finishedTtl : ctx.finishedRetention().maxAge();
    Duration deadTtl = config.deadTtl != null ? config.deadTtl : ctx.deadRetention().maxAge();
    return new Args()
        .add(config.prefix)
        .add(finishedTtl.toMillis())
        .add(ctx.finishedRetention().maxCount())
        .add(deadTtl.toMillis())
        .add(ctx.deadRetention().maxCount());
  }

  private <T> T run(String operation, Scripts.Name script, ScriptOutputType type, Args args) {
    return call(operation, () -> scripts.run(redis, script, type, args));
  }

  private <T> T call(String operation, Supplier<T> op) {
    if (closed.get()) {
      throw new IllegalStateException("the Redis job store is closed");
    }
    if (redis == null) {
      throw new IllegalStateException("RedisJobStore.open(context) must be called first");
    }
    try {
      return op.get();
    } catch (RedisCommandExecutionException e) {
      if (e.getMessage() != null && e.getMessage().contains("plimsoll illegal transition")) {
        throw new IllegalStateException("Redis store script refused a move: " + e.getMessage(), e);
      }
      throw unavailable(operation, e);
    } catch (RedisException e) {
      throw unavailable(operation, e);
    }
  }

  private StoreUnavailableException unavailable(String operation, RedisException e) {
    String message = "Redis at " + safeUri() + " failed " + operation + ": " + e.getMessage();
    failures.warn("{}", message);
    return new StoreUnavailableException(message, e);
  }

  private String safeUri() {
    RedisURI u = RedisURI.create(config.uri);
    return u.getHost() + ":" + u.getPort() + "/" + u.getDatabase();
  }

  private final class ConnectionLog implements RedisConnectionStateListener {
    private final Runnable workAvailable;

    ConnectionLog(Runnable workAvailable) {
      this.workAvailable = workAvailable;
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
      if (client != null && handler == connection) {
        log.info("Redis connection to {} is up", safeUri());
      }
      workAvailable.run();
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
      if (!closed.get() && handler == connection) {
        log.warn("Redis connection to {} lost; store calls fail until it returns", safeUri());
      }
    }
  }

  /** Settings of a {@link RedisJobStore}; validated when set, frozen by {@link #build()}. */
  public static final class Builder {
    /** Default server: the local Redis. */
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";

    /** Default key prefix. */
    public static final String DEFAULT_PREFIX = "plimsoll:";

    /** Longest key prefix accepted. */
    public static final int MAX_PREFIX_LENGTH = 200;

    private String uri = DEFAULT_URI;
    private String prefix = DEFAULT_PREFIX;
    private Duration finishedTtl;
    private Duration deadTtl;
    private Duration commandTimeout = Duration.ofSeconds(5);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private boolean built;

    private Builder() {}

    /** Redis URI, e.g. {@code redis://:password@host:6379/0} or {@code rediss://...}. */
    public Builder uri(String uri) {
      check();
      Objects.requireNonNull(uri, "uri");
      try {
        RedisURI.create(uri);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("uri is not a Redis URI: " + e.getMessage(), e);
      }
      this.uri = uri;
      return this;
    }

    /** Prefix of every key (1 to 200 characters); engines sharing jobs use the same prefix. */
    public Builder prefix(String prefix) {
      check();
      Objects.requireNonNull(prefix, "prefix");
      if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH) {
        throw new IllegalArgumentException(
            "prefix must be 1 to " + MAX_PREFIX_LENGTH + " characters, got " + prefix.length());
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * Redis TTL of SUCCEEDED and CANCELLED records, in real time. Default: the engine's finished
     * retention max age.
     */
    public Builder finishedTtl(Duration ttl) {
      check();
      this.finishedTtl = positive("finishedTtl", ttl);
      return this;
    }

    /** Redis TTL of DEAD records, in real time. Default: the engine's dead retention max age. */
    public Builder deadTtl(Duration ttl) {
      check();
      this.deadTtl = positive("deadTtl", ttl);
      return this;
    }

    /** How long a Redis command may take before the call fails (default 5 s). */
    public Builder commandTimeout(Duration timeout) {
      check();
      this.commandTimeout = positive("commandTimeout", timeout);
      return this;
    }

    /** How long connecting may take (default 5 s). */
    public Builder connectTimeout(Duration timeout) {
      check();
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    public RedisJobStore build() {
      check();
      built = true;
      return new RedisJobStore(this);
    }

    private void check() {
      if (built) {
        throw new IllegalStateException("this RedisJobStore.Builder was already built");
      }
    }

    private static Duration positive(String field, Duration d) {
      Objects.requireNonNull(d, field);
      if (d.isNegative() || d.isZero() || d.toMillis() == 0) {
        throw new IllegalArgumentException(field + " must be at least 1 ms, got " + d);
      }
      return d;
    }
  }
}
