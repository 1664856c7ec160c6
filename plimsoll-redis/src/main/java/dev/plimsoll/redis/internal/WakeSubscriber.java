package dev.plimsoll.redis.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Wakes this node's idle workers when another node made work claimable. The scripts PUBLISH on the
 * {@code <prefix>wake} channel whenever a job becomes QUEUED; this dedicated pub/sub connection
 * turns each message into a call of {@code workAvailable}. Pub/sub leaves nothing stored in Redis,
 * and reaches every node (a blocking pop would wake only one). Lettuce re-subscribes after a
 * reconnect; messages published while disconnected are lost, so the engine's poll is the fallback
 * and the store also calls {@code workAvailable} when the connection comes back.
 */
public final class WakeSubscriber implements AutoCloseable {
  private final StatefulRedisPubSubConnection<byte[], byte[]> connection;

  public WakeSubscriber(RedisClient client, byte[] channel, Runnable workAvailable) {
    connection = client.connectPubSub(ByteArrayCodec.INSTANCE);
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] ch, byte[] message) {
            workAvailable.run();
          }
        });
    connection.sync().subscribe(channel);
  }

  @Override
  public void close() {
    connection.close();
  }
}
