package dev.plimsoll.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobState;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.spi.StoreContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM submits jobs, recording each acknowledged id, and is killed with SIGKILL while its
 * jobs run; a fresh engine on the same store completes every acknowledged job.
 */
abstract class DurabilityBehaviour {
  @TempDir Path dir;

  abstract String dialect();

  /** The SQLite file or the PostgreSQL schema the child and the fresh engine share. */
  abstract String target();

  abstract JdbcJobStore newStore();

  @Test
  void everyJobAcknowledgedBeforeAKillNineCompletesOnAFreshEngine() throws Exception {
    Path acks = dir.resolve("acks.txt");
    Process child =
        NodeProcess.start(dir.resolve("child.out"), "submit", dialect(), target(), acks.toString());
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !child.isAlive() || NodeProcess.ids(acks).size() >= 500);
      assertThat(child.isAlive()).as("child still submitting (see child.out)").isTrue();
    } finally {
      NodeProcess.kill(child);
    }
    List<JobId> acknowledged = NodeProcess.ids(acks);
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(500);

    try (JdbcJobStore inspect = newStore()) {
      inspect.open(
          new StoreContext(
              Clock.systemUTC(),
              q -> QueueConfig.reject(QueueConfig.DEFAULT_DURABLE_CAPACITY),
              RetentionPolicy.FINISHED_DEFAULT,
              RetentionPolicy.DEAD_DEFAULT,
              () -> {}));
      assertThat(inspect.counts().count(JobState.RUNNING))
          .as("jobs were running when the child was killed")
          .isPositive();
    }

    Set<JobId> ran = ConcurrentHashMap.newKeySet();
    try (JobEngine engine =
        JobEngine.builder()
            .store(newStore())
            .nodeId("fresh")
            .lease(NodeProcess.LEASE)
            .handler(
                "work",
                ctx -> {
                  ran.add(ctx.id());
                  return null;
                })
            .start()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(ran).containsAll(acknowledged));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(acknowledged)
                      .allSatisfy(
                          id ->
                              assertThat(engine.get(id).orElseThrow().state())
                                  .isEqualTo(JobState.SUCCEEDED)));
    }
  }
}
