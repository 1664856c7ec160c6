package dev.plimsoll.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobOutcome;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An engine whose Redis dies and comes back stays up and resumes. */
class RedisEngineOutageTest {
  @TempDir Path dir;

  @Test
  @Timeout(120)
  void aSubmitWhileRedisIsDownFailsClearlyAndTheEngineResumesWhenRedisReturns() throws Exception {
    try (RedisServerProcess server =
            RedisServerProcess.startOrSkip(dir, "--save", "", "--appendonly", "no");
        JobEngine engine =
            JobEngine.builder()
                .store(RedisJobStore.builder().uri(server.uri()).prefix("engine-outage:").build())
                .handler("echo", ctx -> ctx.payload())
                .start()) {
      JobId first = engine.submit(JobRequest.of("echo", bytes("one")));
      assertThat(engine.completion(first).get(10, TimeUnit.SECONDS).state())
          .isEqualTo(JobState.SUCCEEDED);

      server.kill();
      assertThatThrownBy(() -> engine.submit(JobRequest.of("echo", bytes("two"))))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("Redis at 127.0.0.1:" + server.port());

      server.start();
      AtomicReference<JobId> third = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
          .until(
              () ->
                  third.compareAndSet(null, engine.submit(JobRequest.of("echo", bytes("three")))));
      JobOutcome outcome = engine.completion(third.get()).get(20, TimeUnit.SECONDS);
      assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(new String(outcome.result(), StandardCharsets.UTF_8)).isEqualTo("three");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
