package dev.plimsoll.redis;

import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.SettableClock;
import dev.plimsoll.spi.StoreContext;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Access to the test Redis (127.0.0.1:6379 unless {@code plimsoll.redisUri} says otherwise). When
 * it is unreachable the test is skipped with how to start it, or fails when services are required
 * ({@code -Dplimsoll.requireServices=1} or {@code PLIMSOLL_REQUIRE_SERVICES=1}).
 */
final class RedisTestSupport implements AutoCloseable {
  static final String URI = System.getProperty("plimsoll.redisUri", "redis://127.0.0.1:6379");

  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  final RedisCommands<byte[], byte[]> redis;

  private RedisTestSupport(RedisClient client, StatefulRedisConnection<byte[], byte[]> c) {
    this.client = client;
    this.connection = c;
    this.redis = c.sync();
  }

  static RedisTestSupport connectOrSkip() {
    RedisClient client = RedisClient.create(URI);
    try {
      return new RedisTestSupport(client, client.connect(ByteArrayCodec.INSTANCE));
    } catch (RedisException e) {
      client.shutdown(0, 0, TimeUnit.SECONDS);
      String message =
          "Redis is not reachable at "
              + URI
              + " ("
              + e.getMessage()
              + "); start it with `redis-server --port 6379 --save '' --appendonly no`";
      if (requireServices()) {
        Assertions.fail(message + " (services are required: plimsoll.requireServices=1)");
      }
      Assumptions.abort(message);
      throw e;
    }
  }

  static boolean requireServices() {
    String p = System.getProperty("plimsoll.requireServices", "");
    String env = System.getenv().getOrDefault("PLIMSOLL_REQUIRE_SERVICES", "");
    return p.equals("1")
        || p.equalsIgnoreCase("true")
        || env.equals("1")
        || env.equalsIgnoreCase("true");
  }

  /** Keys under {@code prefix}, by SCAN. */
  List<byte[]> keys(String prefix) {
    List<byte[]> out = new ArrayList<>();
    ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(1_000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> page = redis.scan(cursor, args);
      out.addAll(page.getKeys());
      cursor = page;
    } while (!cursor.isFinished());
    return out;
  }

  long keyCount(String prefix) {
    return keys(prefix).size();
  }

  void deleteKeys(String prefix) {
    List<byte[]> keys = keys(prefix);
    for (int i = 0; i < keys.size(); i += 500) {
      redis.unlink(keys.subList(i, Math.min(keys.size(), i + 500)).toArray(new byte[0][]));
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String prefixFor(Class<?> testClass) {
    return "plimsoll:test:" + testClass.getSimpleName() + ":";
  }

  static StoreContext context(
      SettableClock clock, Function<String, QueueConfig> queues, RetentionPolicy finished) {
    return new StoreContext(clock, queues, finished, RetentionPolicy.DEAD_DEFAULT, () -> {});
  }

  static StoreContext context(SettableClock clock) {
    return context(
        clock,
        q -> QueueConfig.reject(QueueConfig.DEFAULT_DURABLE_CAPACITY),
        RetentionPolicy.FINISHED_DEFAULT);
  }

  static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(0, 0, TimeUnit.SECONDS);
  }
}
