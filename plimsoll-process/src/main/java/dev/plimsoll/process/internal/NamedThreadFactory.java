package dev.plimsoll.process.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names every thread {@code <prefix>-<n>} and makes it a daemon so it never holds the JVM open. */
public final class NamedThreadFactory implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger next = new AtomicInteger(1);

  public NamedThreadFactory(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, prefix + "-" + next.getAndIncrement());
    thread.setDaemon(true);
    return thread;
  }
}
