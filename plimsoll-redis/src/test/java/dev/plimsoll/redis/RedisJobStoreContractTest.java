package dev.plimsoll.redis;

import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.JobStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract suite against the real Redis. */
class RedisJobStoreContractTest extends JobStoreContract {
  private static final String PREFIX = RedisTestSupport.prefixFor(RedisJobStoreContractTest.class);
  private static RedisTestSupport redis;

  @BeforeAll
  static void connect() {
    redis = RedisTestSupport.connectOrSkip();
    redis.deleteKeys(PREFIX);
  }

  @AfterAll
  static void disconnect() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  protected JobStore newStore() {
    return RedisJobStore.builder().uri(RedisTestSupport.URI).prefix(PREFIX).build();
  }

  @Override
  protected void cleanUp() {
    redis.deleteKeys(PREFIX);
  }
}
