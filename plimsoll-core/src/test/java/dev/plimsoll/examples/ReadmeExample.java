package dev.plimsoll.examples;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobOutcome;
import dev.plimsoll.JobRequest;
import dev.plimsoll.NonRetryableException;
import dev.plimsoll.QueueConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The library example shown in README.md; ReadmeExampleTest keeps the two identical. */
public final class ReadmeExample {
  private ReadmeExample() {}

  public static JobOutcome run() throws Exception {
    // README:start
    try (JobEngine engine =
        JobEngine.builder()
            .concurrency(4) // at most 4 jobs at once, on 4 named threads
            .queue("emails", QueueConfig.reject(1_000)) // full queue → QueueFullException
            .maxAttempts(5) // then the job is dead-lettered
            .timeout(Duration.ofSeconds(10)) // per attempt; the worker is interrupted
            .handler(
                "email",
                ctx -> {
                  String to = new String(ctx.payload(), StandardCharsets.UTF_8);
                  if (!to.contains("@")) {
                    throw new NonRetryableException("not an address: " + to);
                  }
                  return ("sent to " + to).getBytes(StandardCharsets.UTF_8);
                })
            .start()) {
      JobId id =
          engine.submit(
              JobRequest.builder("email")
                  .queue("emails")
                  .payload("ada@example.com".getBytes(StandardCharsets.UTF_8))
                  .idempotencyKey("welcome-ada") // a retried submit returns the same job
                  .build());
      JobOutcome outcome = engine.completion(id).get(30, TimeUnit.SECONDS);
      System.out.println(
          outcome.state() + ": " + new String(outcome.result(), StandardCharsets.UTF_8));
      System.out.println(engine.stats().totalSucceeded() + " succeeded, health " + engine.health());
      return outcome;
    }
    // README:end
  }
}
