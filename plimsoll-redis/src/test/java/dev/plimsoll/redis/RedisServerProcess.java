package dev.plimsoll.redis;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A private redis-server on a free loopback port that a test can kill and start again, for outage
 * and durability tests that must not disturb the shared Redis.
 */
final class RedisServerProcess implements AutoCloseable {
  private final int port;
  private final List<String> options;
  private final Path dir;
  private Process process;

  private RedisServerProcess(int port, Path dir, List<String> options) {
    this.port = port;
    this.dir = dir;
    this.options = options;
  }

  /** Starts one, or skips the test (fails it when services are required) without redis-server. */
  static RedisServerProcess startOrSkip(Path dir, String... options) {
    if (!new File("/usr/bin/redis-server").canExecute() && !onPath("redis-server")) {
      String message = "redis-server is not installed; install it (apt-get install redis-server)";
      if (RedisTestSupport.requireServices()) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    RedisServerProcess server = new RedisServerProcess(freePort(), dir, List.of(options));
    server.start();
    return server;
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  void start() {
    List<String> command = new ArrayList<>();
    command.add("redis-server");
    command.add("--port");
    command.add(Integer.toString(port));
    command.add("--bind");
    command.add("127.0.0.1");
    command.add("--dir");
    command.add(dir.toString());
    command.addAll(options);
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await().atMost(Duration.ofSeconds(10)).until(this::answers);
  }

  /** SIGKILL: no shutdown save, no goodbye to clients. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean answers() {
    RedisClient client = RedisClient.create(uri());
    try (var c = client.connect()) {
      return "PONG".equals(c.sync().ping());
    } catch (RedisException e) {
      return false;
    } finally {
      client.shutdown(0, 0, TimeUnit.SECONDS);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, name).canExecute()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    if (process != null) {
      kill();
    }
  }
}
