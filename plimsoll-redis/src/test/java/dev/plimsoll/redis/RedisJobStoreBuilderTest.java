package dev.plimsoll.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.SettableClock;
import dev.plimsoll.StoreUnavailableException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisJobStoreBuilderTest {

  @Test
  void badSettingsAreRefusedWithTheSettingAndItsLimitNamed() {
    RedisJobStore.Builder b = RedisJobStore.builder();
    assertThatThrownBy(() -> b.prefix(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prefix must be 1 to 200 characters, got 0");
    assertThatThrownBy(() -> b.finishedTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("finishedTtl must be at least 1 ms, got PT0S");
    assertThatThrownBy(() -> b.commandTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("commandTimeout must be at least 1 ms");
    assertThatThrownBy(() -> b.uri("http://example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("uri is not a Redis URI");
    assertThat(b.build().prefix()).isEqualTo(RedisJobStore.Builder.DEFAULT_PREFIX);
  }

  @Test
  void aBuilderCannotBeChangedAfterBuild() {
    RedisJobStore.Builder b = RedisJobStore.builder();
    b.build();
    assertThatThrownBy(() -> b.prefix("other:"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already built");
  }

  @Test
  void openingAStoreWhoseRedisIsUnreachableFailsWithStoreUnavailable() {
    RedisJobStore store =
        RedisJobStore.builder()
            .uri("redis://127.0.0.1:1")
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    assertThatThrownBy(() -> store.open(RedisTestSupport.context(SettableClock.atFixedStart())))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("cannot open the Redis store at 127.0.0.1:1");
    store.close();
  }
}
