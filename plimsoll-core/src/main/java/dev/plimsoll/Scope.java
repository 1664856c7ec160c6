package dev.plimsoll;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Transient tasks owned by something with a lifetime. Tasks run on the engine's workers (sharing
 * its global concurrency), are tracked while queued or running, leave no reference behind when they
 * finish, and are cancelled (queued) or interrupted (running) when the scope closes. The futures of
 * cancelled tasks complete exceptionally with a {@link java.util.concurrent.CancellationException}
 * whose message names the reason.
 */
public interface Scope extends AutoCloseable {
  String name();

  /**
   * Runs {@code task} on an engine worker.
   *
   * @throws CapacityExceededException the scope or the engine's task queue is full
   * @throws EngineClosedException the scope or engine is closed
   */
  <T> CompletableFuture<T> submit(Callable<T> task);

  /** Runs {@code task} on an engine worker; see {@link #submit}. */
  default CompletableFuture<Void> execute(Runnable task) {
    return submit(
        () -> {
          task.run();
          return null;
        });
  }

  /** Tasks queued or running in this scope now. */
  int activeTasks();

  boolean isOpen();

  /** Cancels queued tasks, interrupts running ones. Idempotent. */
  @Override
  void close();
}
