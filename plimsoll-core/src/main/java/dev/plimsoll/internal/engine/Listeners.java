package dev.plimsoll.internal.engine;

import dev.plimsoll.JobEvent;
import dev.plimsoll.JobId;
import dev.plimsoll.JobListener;
import dev.plimsoll.internal.KeyedRateLimitedLog;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** Calls listeners, isolating the caller from their exceptions (caught, counted, logged). */
final class Listeners {
  private static final KeyedRateLimitedLog LOG =
      new KeyedRateLimitedLog(LoggerFactory.getLogger(Listeners.class), 10, TimeUnit.SECONDS);

  private final List<JobListener> listeners;
  private final Counters counters;
  private final Clock clock;

  Listeners(List<JobListener> initial, Counters counters, Clock clock) {
    this.listeners = new CopyOnWriteArrayList<>(initial);
    this.counters = counters;
    this.clock = clock;
  }

  void add(JobListener listener) {
    listeners.add(listener);
  }

  void fire(JobEvent.Kind kind, JobId id, String type, String queue, int attempt, String detail) {
    if (listeners.isEmpty()) {
      return;
    }
    JobEvent event =
        new JobEvent(kind, id, type, queue, attempt, detail, Instant.ofEpochMilli(clock.millis()));
    for (JobListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (Throwable t) {
        counters.listenerErrors.increment();
        LOG.warn(
            "listener-error",
            "job listener {} threw {} on {}; the engine carries on",
            l.getClass().getName(),
            t.toString(),
            kind);
      }
    }
  }
}
