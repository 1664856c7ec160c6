package dev.plimsoll.redis;

import dev.plimsoll.JobEngine;
import dev.plimsoll.RetentionPolicy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An engine in its own JVM, for tests that kill a node with SIGKILL. Arguments: Redis URI, key
 * prefix, node id. Prints {@code RUNNING} once its first job runs; each job takes 20 ms so that it
 * always holds claimed jobs when it is killed.
 */
public final class VictimNode {
  private VictimNode() {}

  public static void main(String[] args) throws Exception {
    AtomicBoolean announced = new AtomicBoolean();
    RedisJobStore store = RedisJobStore.builder().uri(args[0]).prefix(args[1]).build();
    JobEngine engine =
        JobEngine.builder()
            .store(store)
            .nodeId(args[2])
            .lease(Duration.ofSeconds(2))
            .retention(new RetentionPolicy(Duration.ofHours(1), 1_000_000))
            .handler(
                "work",
                ctx -> {
                  if (announced.compareAndSet(false, true)) {
                    System.out.println("RUNNING");
                    System.out.flush();
                  }
                  Thread.sleep(20);
                  return null;
                })
            .start();
    System.out.println("READY");
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
    Thread.currentThread().join();
  }
}
