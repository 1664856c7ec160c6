package dev.plimsoll.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobOutcome;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineSmokeTest {
  @Test
  void aSubmittedJobRunsAndItsResultIsKept() throws Exception {
    try (JobEngine engine = JobEngine.builder().handler("echo", ctx -> ctx.payload()).start()) {
      JobId id = engine.submit(JobRequest.of("echo", "hi".getBytes(StandardCharsets.UTF_8)));
      JobOutcome outcome = engine.completion(id).get(10, TimeUnit.SECONDS);
      assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(new String(outcome.result(), StandardCharsets.UTF_8)).isEqualTo("hi");
    }
  }
}
