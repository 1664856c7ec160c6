package dev.plimsoll.internal.engine;

import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.Scope;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scope's tracked tasks. A task is in {@link #tasks} from submission until it ends, and removed
 * then, so a scope holds references only to live tasks. Closing is idempotent: it refuses new
 * tasks, cancels queued ones and interrupts running ones.
 */
final class ScopeImpl implements Scope {
  final long key;
  private final String name;
  private final Scopes owner;
  private final Set<ScopeTask> tasks = ConcurrentHashMap.newKeySet();
  private final int maxTasks;
  private volatile boolean open = true;

  ScopeImpl(long key, String name, Scopes owner, int maxTasks) {
    this.key = key;
    this.name = name;
    this.owner = owner;
    this.maxTasks = maxTasks;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> submit(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    if (!open) {
      throw new EngineClosedException("scope '" + name + "' is closed");
    }
    if (tasks.size() >= maxTasks) {
      throw new CapacityExceededException(
          "tasks of scope '" + name + "' (maxTasksPerScope)", maxTasks);
    }
    ScopeTask t = new ScopeTask(this, task);
    tasks.add(t);
    try {
      owner.enqueue(t);
    } catch (RuntimeException e) {
      tasks.remove(t);
      throw e;
    }
    if (!open && t.cancel("scope '" + name + "' closed")) {
      owner.dequeue(t);
      tasks.remove(t);
    }
    return (CompletableFuture<T>) t.future;
  }

  void taskEnded(ScopeTask t) {
    tasks.remove(t);
  }

  @Override
  public int activeTasks() {
    return tasks.size();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    closeWith("scope '" + name + "' closed");
  }

  void closeWith(String reason) {
    if (!open) {
      return;
    }
    open = false;
    for (ScopeTask t : tasks) {
      if (t.cancel(reason)) {
        owner.dequeue(t);
        tasks.remove(t);
      }
    }
    owner.closed(this);
  }
}
