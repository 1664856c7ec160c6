package dev.plimsoll.engine;

import dev.plimsoll.BackoffPolicy;
import dev.plimsoll.EngineBuilder;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobOutcome;
import dev.plimsoll.SettableClock;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Test helpers: engines on a settable clock with fixed jitter. */
final class Engines {
  private Engines() {}

  static EngineBuilder builder(SettableClock clock) {
    return JobEngine.builder()
        .clock(clock)
        .jitter(() -> 0.0)
        .backoff(BackoffPolicy.DEFAULT)
        .shutdown(dev.plimsoll.ShutdownMode.CANCEL_PENDING, Duration.ofSeconds(5));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static JobOutcome await(JobEngine engine, JobId id) throws Exception {
    return engine.completion(id).get(30, TimeUnit.SECONDS);
  }

  /** A handler body that runs until its thread is interrupted (timeout, cancel, shutdown). */
  static void blockUntilInterrupted() throws InterruptedException {
    new java.util.concurrent.CountDownLatch(1).await();
  }

  /**
   * Waits (running GCs) until every reference is cleared: what the engine no longer holds must
   * become collectable. Fails after {@code atMost}.
   */
  static void awaitCollected(Collection<? extends Reference<?>> refs, Duration atMost) {
    org.awaitility.Awaitility.await()
        .atMost(atMost)
        .until(
            () -> {
              System.gc();
              return refs.stream().allMatch(r -> r.get() == null);
            });
  }

  /** Names of live threads the engine owns. */
  static Set<String> engineThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("plimsoll-"))
        .collect(Collectors.toSet());
  }
}
