package dev.plimsoll.redis;

import static dev.plimsoll.redis.TestJobs.claim;
import static dev.plimsoll.redis.TestJobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.Job;
import dev.plimsoll.JobState;
import dev.plimsoll.SettableClock;
import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.spi.NewJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Redis that goes away and comes back, on a private redis-server this test kills (SIGKILL). */
class RedisOutageTest {
  private final SettableClock clock = SettableClock.atFixedStart();

  @TempDir Path dir;

  @Test
  void whileRedisIsDownAnInsertFailsWithStoreUnavailableAndWorksAgainOnceItReturns() {
    try (RedisServerProcess server =
            RedisServerProcess.startOrSkip(dir, "--save", "", "--appendonly", "no");
        RedisJobStore store = RedisJobStore.builder().uri(server.uri()).prefix("outage:").build()) {
      AtomicInteger wakeUps = new AtomicInteger();
      store.open(
          new dev.plimsoll.spi.StoreContext(
              clock,
              q -> dev.plimsoll.QueueConfig.reject(100),
              dev.plimsoll.RetentionPolicy.FINISHED_DEFAULT,
              dev.plimsoll.RetentionPolicy.DEAD_DEFAULT,
              wakeUps::incrementAndGet));
      NewJob before = job("q", "t", clock.instant());
      store.insert(List.of(before));

      server.kill();
      NewJob during = job("q", "t", clock.instant());
      assertThatThrownBy(() -> store.insert(List.of(during)))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("Redis at 127.0.0.1:" + server.port())
          .hasMessageContaining("insert");

      int wakeUpsWhileDown = wakeUps.get();
      server.start();
      NewJob after = job("q", "t", clock.instant());
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
          .until(() -> store.insert(List.of(after)).size() == 1);
      assertThat(wakeUps.get())
          .as("reconnecting wakes the workers")
          .isGreaterThan(wakeUpsWhileDown);
      assertThat(store.get(after.id())).map(Job::state).contains(JobState.QUEUED);
      assertThat(store.get(during.id())).as("a refused insert wrote nothing").isEmpty();
      assertThat(store.get(before.id()))
          .as("Redis without persistence forgets jobs it accepted before the crash")
          .isEmpty();
    }
  }

  @Test
  void withAppendOnlyFsyncAlwaysAJobAcceptedBeforeRedisWasKilledSurvivesItsRestart() {
    try (RedisServerProcess server =
            RedisServerProcess.startOrSkip(
                dir, "--save", "", "--appendonly", "yes", "--appendfsync", "always");
        RedisJobStore store =
            RedisJobStore.builder().uri(server.uri()).prefix("durable:").build()) {
      store.open(RedisTestSupport.context(clock));
      NewJob accepted = job("q", "t", clock.instant());
      store.insert(List.of(accepted));

      server.kill();
      server.start();

      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
          .until(() -> store.get(accepted.id()).isPresent());
      assertThat(store.get(accepted.id())).map(Job::state).contains(JobState.QUEUED);
      assertThat(store.claim(claim(1, clock.instant(), "t")))
          .singleElement()
          .satisfies(c -> assertThat(c.job().id()).isEqualTo(accepted.id()));
    }
  }
}
