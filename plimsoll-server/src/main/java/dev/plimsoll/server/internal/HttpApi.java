package dev.plimsoll.server.internal;

import dev.plimsoll.RemoteWorkers;
import dev.plimsoll.server.ServerConfig;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Javalin app on a bounded Jetty: a {@link QueuedThreadPool} of {@code server.maxThreads}
 * threads whose job queue holds at most {@code server.maxQueuedRequests} (more are refused by
 * Jetty), at most {@code server.maxConnections} connections (Jetty stops accepting beyond, the rest
 * wait in the TCP backlog of {@code server.acceptQueue}), an idle timeout that closes silent
 * connections (a stalled body included) and a minimum request data rate that cuts off trickling
 * bodies. Routes are registered up front by the route classes; the list of registered routes is
 * kept for the OpenAPI drift test.
 */
public final class HttpApi {
  /** A registered route: method and path. */
  public record Route(String method, String path) {}

  private HttpApi() {}

  public static Javalin create(ServerConfig c, ErrorMapper errors, List<Route> routes) {
    long maxBody = c.number(ConfigKeys.MAX_BODY);
    QueuedThreadPool threads =
        new QueuedThreadPool(
            c.integer(ConfigKeys.MAX_THREADS),
            Math.min(8, c.integer(ConfigKeys.MAX_THREADS)),
            60_000,
            new BlockingArrayQueue<>(
                Math.min(64, c.integer(ConfigKeys.MAX_QUEUED_REQUESTS)),
                64,
                c.integer(ConfigKeys.MAX_QUEUED_REQUESTS)));
    threads.setName("plimsoll-http");
    return Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.startupWatcherEnabled = false;
              cfg.http.maxRequestSize = maxBody;
              cfg.http.prefer405over404 = true;
              cfg.http.asyncTimeout = RemoteWorkers.MAX_WAIT.toMillis() + 15_000;
              cfg.router.ignoreTrailingSlashes = true;
              cfg.jetty.threadPool = threads;
              cfg.jetty.modifyHttpConfiguration(
                  hc -> {
                    hc.setSendServerVersion(false);
                    // Dispatch on the headers: an oversized Content-Length is refused at once.
                    hc.setDelayDispatchUntilContent(false);
                    hc.setMinRequestDataRate(c.number(ConfigKeys.MIN_DATA_RATE));
                  });
              cfg.jetty.addConnector(
                  (server, hc) -> {
                    ServerConnector conn =
                        new ServerConnector(server, 1, 1, new HttpConnectionFactory(hc));
                    conn.setHost(c.string(ConfigKeys.HOST));
                    conn.setPort(c.integer(ConfigKeys.PORT));
                    conn.setIdleTimeout(c.duration(ConfigKeys.IDLE_TIMEOUT).toMillis());
                    conn.setAcceptQueueSize(c.integer(ConfigKeys.ACCEPT_QUEUE));
                    return conn;
                  });
              cfg.jetty.modifyServer(
                  server -> {
                    server.addBean(
                        new ConnectionLimit(c.integer(ConfigKeys.MAX_CONNECTIONS), server));
                    server.setStopTimeout(5_000);
                  });
              Consumer<io.javalin.event.HandlerMetaInfo> record =
                  meta -> {
                    if (meta.getHttpMethod().isHttpMethod()
                        && meta.getHttpMethod() != HandlerType.HEAD) {
                      routes.add(new Route(meta.getHttpMethod().name(), meta.getPath()));
                    }
                  };
              cfg.events.handlerAdded(record);
            })
        .exception(HttpResponseException.class, errors::handle)
        .exception(Exception.class, errors::handle);
  }

  /** A list to collect routes into. */
  public static List<Route> routeList() {
    return Collections.synchronizedList(new ArrayList<>());
  }
}
