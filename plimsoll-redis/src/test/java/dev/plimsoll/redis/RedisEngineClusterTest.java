package dev.plimsoll.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.spi.StoreContext;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three engines on one Redis, sharing one key prefix. */
class RedisEngineClusterTest {
  @RegisterExtension static final RedisPrefix KEYS = new RedisPrefix(RedisEngineClusterTest.class);
  private static final String PREFIX = KEYS.prefix;
  private static final int JOBS = 20_000;
  private static final RetentionPolicy KEEP_ALL =
      new RetentionPolicy(Duration.ofHours(1), 1_000_000);
  private final List<JobEngine> engines = new ArrayList<>();
  private final Map<JobId, AtomicInteger> runs = new ConcurrentHashMap<>();
  private RedisJobStore probe;

  @BeforeEach
  void clean() {
    probe = RedisJobStore.builder().uri(RedisTestSupport.URI).prefix(PREFIX).build();
    probe.open(
        new StoreContext(
            Clock.systemUTC(),
            q -> QueueConfig.reject(QueueConfig.DEFAULT_DURABLE_CAPACITY),
            KEEP_ALL,
            RetentionPolicy.DEAD_DEFAULT,
            () -> {}));
  }

  @AfterEach
  void closeEngines() {
    engines.forEach(JobEngine::close);
    probe.close();
  }

  private JobEngine engine(String node) {
    JobEngine e =
        JobEngine.builder()
            .store(RedisJobStore.builder().uri(RedisTestSupport.URI).prefix(PREFIX).build())
            .nodeId(node)
            .lease(Duration.ofSeconds(2))
            .retention(KEEP_ALL)
            .handler(
                "work",
                ctx -> {
                  runs.computeIfAbsent(ctx.id(), id -> new AtomicInteger()).incrementAndGet();
                  return null;
                })
            .start();
    engines.add(e);
    return e;
  }

  private List<JobId> submit(List<JobEngine> to, int n) {
    List<JobId> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i += 500) {
      List<JobRequest> batch = new ArrayList<>(500);
      for (int j = 0; j < 500; j++) {
        batch.add(JobRequest.of("work", new byte[8]));
      }
      ids.addAll(to.get((i / 500) % to.size()).submitAll(batch));
    }
    return ids;
  }

  /** SUCCEEDED jobs as a separate store (like a fourth node) counts them in Redis. */
  private long succeeded() {
    return probe.counts().count(JobState.SUCCEEDED);
  }

  @Test
  @Timeout(120)
  void threeEnginesOnOneRedisRunEachOf20000JobsExactlyOnce() {
    List<JobEngine> nodes = List.of(engine("node-1"), engine("node-2"), engine("node-3"));

    List<JobId> ids = submit(nodes, JOBS);

    await().atMost(Duration.ofSeconds(60)).until(() -> succeeded() == JOBS);
    assertThat(runs).hasSize(JOBS);
    assertThat(runs.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  @Timeout(180)
  void whenOneOfThreeNodesIsKilledMidRunEveryJobStillFinishes() throws Exception {
    List<JobEngine> nodes = List.of(engine("node-1"), engine("node-2"));
    Process victim =
        new ProcessBuilder(
                new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-cp",
                System.getProperty("java.class.path"),
                VictimNode.class.getName(),
                RedisTestSupport.URI,
                PREFIX,
                "victim")
            .redirectErrorStream(true)
            .start();
    try {
      CompletableFuture<Void> ready = new CompletableFuture<>();
      CompletableFuture<Void> running = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(victim.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = out.readLine()) != null) {
                    if (line.equals("READY")) {
                      ready.complete(null);
                    } else if (line.equals("RUNNING")) {
                      running.complete(null);
                    }
                  }
                } catch (java.io.IOException e) {
                  // the victim was killed
                }
                ready.completeExceptionally(new AssertionError("victim exited before READY"));
                running.completeExceptionally(new AssertionError("victim exited before RUNNING"));
              },
              "victim-output");
      reader.setDaemon(true);
      reader.start();
      ready.get(30, TimeUnit.SECONDS);

      List<JobId> ids = submit(nodes, JOBS);
      running.get(30, TimeUnit.SECONDS);
      victim.destroyForcibly();
      assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();

      await().atMost(Duration.ofSeconds(90)).until(() -> succeeded() == JOBS);
      assertThat(runs.keySet())
          .as("the survivors ran everything except what the victim finished before it died")
          .hasSizeGreaterThan(0);
      for (JobId id : ids) {
        assertThat(engines.get(0).get(id))
            .hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
      }
    } finally {
      victim.destroyForcibly();
    }
  }
}
