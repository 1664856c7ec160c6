package dev.plimsoll.redis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own key prefix on the shared Redis: connects before the class (skipping, or
 * failing when services are required, if Redis is unreachable), deletes the prefix's keys before
 * each test and after the class.
 *
 * <pre>{@code @RegisterExtension static final RedisPrefix KEYS = new RedisPrefix(MyTest.class);}
 * </pre>
 */
final class RedisPrefix implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  final String prefix;
  private RedisTestSupport redis;

  RedisPrefix(Class<?> testClass) {
    this.prefix = RedisTestSupport.prefixFor(testClass);
  }

  RedisTestSupport redis() {
    return redis;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    redis = RedisTestSupport.connectOrSkip();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    redis.deleteKeys(prefix);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (redis != null) {
      redis.deleteKeys(prefix);
      redis.close();
    }
  }
}
