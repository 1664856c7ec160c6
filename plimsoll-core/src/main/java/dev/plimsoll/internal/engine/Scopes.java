package dev.plimsoll.internal.engine;

import dev.plimsoll.BoundedBuffer;
import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.ScopeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open scopes (bounded by maxOpenScopes) and the engine-wide queue of their tasks (a {@link
 * BoundedBuffer} that rejects when full), which workers drain before claiming jobs.
 */
final class Scopes {
  private final ConcurrentHashMap<Long, ScopeImpl> open = new ConcurrentHashMap<>();
  private final AtomicLong keys = new AtomicLong();
  private final BoundedBuffer<ScopeTask> queue;
  private final int maxOpen;
  private final int maxTasksPerScope;
  private final Runnable workAvailable;
  private volatile boolean closed;

  Scopes(int maxOpen, int maxTasksPerScope, int queueCapacity, Runnable workAvailable) {
    this.maxOpen = maxOpen;
    this.maxTasksPerScope = maxTasksPerScope;
    this.queue = new BoundedBuffer<>("scope-tasks", BoundedBuffer.Config.reject(queueCapacity));
    this.workAvailable = workAvailable;
  }

  ScopeImpl open(String name) {
    if (name == null || name.isBlank() || name.length() > 256) {
      throw new IllegalArgumentException("scope name must be 1 to 256 characters");
    }
    if (closed) {
      throw new EngineClosedException("engine is shutting down; no new scopes");
    }
    synchronized (this) {
      if (open.size() >= maxOpen) {
        throw new CapacityExceededException("open scopes (maxOpenScopes)", maxOpen);
      }
      ScopeImpl s = new ScopeImpl(keys.incrementAndGet(), name, this, maxTasksPerScope);
      open.put(s.key, s);
      return s;
    }
  }

  void enqueue(ScopeTask t) {
    if (closed) {
      throw new EngineClosedException("engine is shutting down; no new scope tasks");
    }
    if (!queue.offer(t)) {
      throw new CapacityExceededException(
          "engine scope task queue (scopeTaskCapacity)", queue.config().capacity());
    }
    workAvailable.run();
  }

  void dequeue(ScopeTask t) {
    queue.remove(t);
  }

  ScopeTask poll() {
    return queue.poll();
  }

  void closed(ScopeImpl s) {
    open.remove(s.key);
  }

  List<ScopeInfo> list() {
    List<ScopeInfo> out = new ArrayList<>();
    for (ScopeImpl s : open.values()) {
      out.add(new ScopeInfo(s.name(), s.activeTasks()));
    }
    return out;
  }

  int openCount() {
    return open.size();
  }

  long activeTasks() {
    long n = 0;
    for (ScopeImpl s : open.values()) {
      n += s.activeTasks();
    }
    return n;
  }

  int queued() {
    return queue.size();
  }

  /** Refuses new scopes and tasks and closes every open scope with {@code reason}. */
  void closeAll(String reason) {
    closed = true;
    for (ScopeImpl s : new ArrayList<>(open.values())) {
      s.closeWith(reason);
    }
  }
}
