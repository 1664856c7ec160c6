package dev.plimsoll.server;

import dev.plimsoll.EngineBuilder;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobHandler;
import dev.plimsoll.PressureSignal;
import dev.plimsoll.ShutdownMode;
import dev.plimsoll.micrometer.PlimsollMetrics;
import dev.plimsoll.process.CommandJobHandler;
import dev.plimsoll.process.ProcessPool;
import dev.plimsoll.process.micrometer.ProcessPoolMetrics;
import dev.plimsoll.server.internal.Authenticator;
import dev.plimsoll.server.internal.BodyReader;
import dev.plimsoll.server.internal.ConfigKeys;
import dev.plimsoll.server.internal.EngineFactory;
import dev.plimsoll.server.internal.ErrorMapper;
import dev.plimsoll.server.internal.HostPolicy;
import dev.plimsoll.server.internal.HttpApi;
import dev.plimsoll.server.internal.HttpJobHandler;
import dev.plimsoll.server.internal.JobRoutes;
import dev.plimsoll.server.internal.Json;
import dev.plimsoll.server.internal.OpsRoutes;
import dev.plimsoll.server.internal.Router;
import dev.plimsoll.server.internal.ServerState;
import dev.plimsoll.server.internal.WorkerRoutes;
import dev.plimsoll.spi.JobStore;
import dev.plimsoll.watch.MemoryWatchdog;
import dev.plimsoll.watch.WatchdogConfig;
import dev.plimsoll.watch.micrometer.WatchdogMetrics;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job server: an engine on the configured store, the built-in {@code command} and {@code http}
 * job types, and the HTTP API on a bounded Jetty.
 *
 * <pre>{@code
 * try (PlimsollServer server = PlimsollServer.builder(ServerConfig.defaults()).start()) {
 *   System.out.println(server.url());
 * }
 * }</pre>
 *
 * <p>{@link #close()} is the graceful shutdown (SIGTERM runs it): readiness turns false and new
 * submissions get 503 {@code shutting_down} at once, then the engine shuts down per {@code
 * shutdown.mode} and {@code shutdown.grace} while the API still answers reads and remote workers,
 * then the HTTP server, the process pool and the store close. Idempotent; thread-safe.
 */
public final class PlimsollServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlimsollServer.class);

  private final ServerConfig config;
  private final JobEngine engine;
  private final ProcessPool pool;
  private final HttpJobHandler http;
  private final PrometheusMeterRegistry registry;
  private final MemoryWatchdog watchdog;
  private final ServerState state;
  private final Javalin app;
  private final List<HttpApi.Route> routes;
  private final Object closeLock = new Object();
  private boolean closed;

  private PlimsollServer(Builder b) {
    this.config = b.config;
    HostPolicy hosts =
        HostPolicy.parse(
            ConfigKeys.HTTP_ALLOWED_HOSTS, config.string(ConfigKeys.HTTP_ALLOWED_HOSTS));
    JobStore store = b.store != null ? b.store : EngineFactory.store(config);
    this.state = new ServerState();
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.pool = ProcessPool.create(EngineFactory.processPool(config));
    this.http =
        new HttpJobHandler(
            Json.MAPPER,
            config.duration(ConfigKeys.HTTP_TIMEOUT),
            config.integer(ConfigKeys.HTTP_MAX_RESPONSE),
            b.clock,
            hosts);
    EngineBuilder eb = EngineFactory.engine(config, store).clock(b.clock);
    eb.handler(CommandJobHandler.TYPE, new CommandJobHandler(pool, b.clock));
    eb.handler(HttpJobHandler.TYPE, http);
    b.handlers.forEach(eb::handler);
    this.watchdog = b.pressure == null ? startWatchdog(config) : null;
    if (b.pressure != null) {
      eb.pressure(b.pressure);
    } else if (watchdog != null) {
      eb.pressure(watchdog);
    }
    JobEngine started = null;
    Javalin javalin = null;
    this.routes = HttpApi.routeList();
    try {
      started = eb.start();
      if (watchdog != null) {
        watchdog.watch(started);
      }
      bindMeters(started);
      ErrorMapper errors =
          new ErrorMapper(registry, config.duration(ConfigKeys.RETRY_AFTER), state);
      javalin = HttpApi.create(config, errors, routes);
      Router router = new Router(javalin, new Authenticator(config.tokens()));
      BodyReader body =
          new BodyReader(
              config.number(ConfigKeys.MAX_BODY),
              b.clock,
              config.duration(ConfigKeys.BODY_TIMEOUT));
      new JobRoutes(started, state, body, (int) config.number(ConfigKeys.MAX_BATCH_JOBS))
          .register(router);
      new WorkerRoutes(started, body).register(router);
      new OpsRoutes(started, store, state, registry).register(router);
      javalin.start();
    } catch (RuntimeException e) {
      if (javalin != null) {
        javalin.stop();
      }
      if (started != null) {
        started.shutdown(ShutdownMode.CANCEL_PENDING, Duration.ZERO);
      } else {
        store.close();
      }
      pool.shutdown(Duration.ZERO);
      http.close();
      closeWatchdog();
      registry.close();
      throw e;
    }
    this.engine = started;
    this.app = javalin;
    LOG.info(
        "plimsoll server listening on {} (store {}, {} token(s), {} request threads)",
        url(),
        describeStore(b.store),
        config.tokens().size(),
        config.integer(ConfigKeys.MAX_THREADS));
  }

  /** A builder for a server with {@code config}. */
  public static Builder builder(ServerConfig config) {
    return new Builder(config);
  }

  /** The port bound (the chosen one when {@code server.port} is 0). */
  public int port() {
    return app.port();
  }

  /** {@code http://host:port}. */
  public String url() {
    String host = config.string(ConfigKeys.HOST);
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** The engine behind the API (for embedding and tests). */
  public JobEngine engine() {
    return engine;
  }

  /** The registered routes as {@code METHOD path}, e.g. {@code POST /v1/jobs}. */
  public List<String> routes() {
    synchronized (routes) {
      return routes.stream().map(r -> r.method() + " " + r.path()).collect(Collectors.toList());
    }
  }

  /** The graceful shutdown; see the class comment. Returns when everything is closed. */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
      state.stopAccepting();
      Duration grace = config.duration(ConfigKeys.SHUTDOWN_GRACE);
      LOG.info(
          "plimsoll server shutting down: {} with a grace of {}",
          config.string(ConfigKeys.SHUTDOWN_MODE),
          grace);
      try {
        engine.close();
      } finally {
        app.stop();
        pool.shutdown(Duration.ZERO);
        http.close();
        closeWatchdog();
        registry.close();
      }
      LOG.info("plimsoll server stopped");
    }
  }

  /** The memory watchdog that {@code watchdog.*} configures, or null when it is disabled. */
  private static MemoryWatchdog startWatchdog(ServerConfig config) {
    if (!config.flag(ConfigKeys.WATCHDOG_ENABLED)) {
      return null;
    }
    return MemoryWatchdog.start(
        WatchdogConfig.builder()
            .interval(config.duration(ConfigKeys.WATCHDOG_INTERVAL))
            .warnFraction(config.decimal(ConfigKeys.WATCHDOG_WARN))
            .shedFraction(config.decimal(ConfigKeys.WATCHDOG_SHED))
            .resumeFraction(config.decimal(ConfigKeys.WATCHDOG_RESUME))
            .build());
  }

  private void closeWatchdog() {
    if (watchdog != null) {
      watchdog.close();
    }
  }

  private void bindMeters(JobEngine e) {
    new PlimsollMetrics(e).bindTo(registry);
    if (watchdog != null) {
      new WatchdogMetrics(watchdog).bindTo(registry);
    }
    new ProcessPoolMetrics(pool).bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  private String describeStore(JobStore given) {
    if (given != null) {
      return given.toString();
    }
    String kind = config.string(ConfigKeys.STORE_KIND);
    return kind.equals("sqlite") ? "sqlite " + EngineFactory.sqliteFile(config) : kind;
  }

  /** Configures a {@link PlimsollServer}. */
  public static final class Builder {
    private final ServerConfig config;
    private JobStore store;
    private Clock clock = Clock.systemUTC();
    private PressureSignal pressure;
    private final Map<String, JobHandler> handlers = new LinkedHashMap<>();

    private Builder(ServerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Uses this store instead of the one {@code store.kind} names; the server closes it. */
    public Builder store(JobStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The engine's clock (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** A source of back-pressure, e.g. the memory watchdog: submissions get 503 while it sheds. */
    public Builder pressure(PressureSignal signal) {
      this.pressure = Objects.requireNonNull(signal, "pressure");
      return this;
    }

    /** An in-process job type besides {@code command} and {@code http}. */
    public Builder handler(String type, JobHandler handler) {
      handlers.put(type, Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /** Starts the engine and binds the port; throws if either fails, leaving nothing running. */
    public PlimsollServer start() {
      return new PlimsollServer(this);
    }
  }
}
