package dev.plimsoll.server.cli;

import dev.plimsoll.PlimsollException;
import dev.plimsoll.server.ConfigException;
import dev.plimsoll.server.PlimsollServer;
import dev.plimsoll.server.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code plimsoll serve}: runs the server until SIGTERM or SIGINT, then shuts down gracefully and
 * exits 0. The signal handler only releases the main thread, which runs the shutdown; a JVM
 * shutdown hook covers other exits (the shutdown is idempotent).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the job server: the HTTP API, built-in command and http jobs, remote workers.",
      "",
      "With no config it listens on 127.0.0.1:7280 and keeps jobs in an embedded",
      "SQLite file under --data. Settings come from the defaults, then --config FILE,",
      "then PLIMSOLL_* environment variables (store.kind -> PLIMSOLL_STORE_KIND),",
      "then --port and --data. Without auth.tokens it binds to loopback only.",
      "",
      "On SIGTERM it stops accepting (503 shutting_down), drains as shutdown.mode and",
      "shutdown.grace say, and exits 0. Every setting: docs/server.md.",
      ""
    })
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file")
  Path config;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "port to listen on (0 = any free port; default 7280)")
  Integer port;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "folder of the SQLite store (default ./plimsoll-data)")
  Path data;

  @Override
  public Integer call() throws InterruptedException {
    ServerConfig cfg;
    try {
      ServerConfig.Builder b = ServerConfig.builder();
      if (config != null) {
        b.yaml(config);
      }
      b.env(System.getenv());
      if (port != null) {
        b.set("server.port", port.toString(), "--port");
      }
      if (data != null) {
        b.set("data.dir", data.toString(), "--data");
      }
      cfg = b.build();
    } catch (ConfigException e) {
      System.err.println("plimsoll: bad config: " + e.getMessage());
      return 2;
    }
    PlimsollServer server;
    try {
      server = PlimsollServer.builder(cfg).start();
    } catch (PlimsollException | IllegalArgumentException e) {
      System.err.println("plimsoll: cannot start: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      System.err.println("plimsoll: cannot start: " + e);
      return 1;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "plimsoll-shutdown"));
    System.out.println("plimsoll listening on " + server.url());
    System.out.flush();
    stop.await();
    server.close();
    return 0;
  }
}
