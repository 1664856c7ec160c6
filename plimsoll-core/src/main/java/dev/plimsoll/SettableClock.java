package dev.plimsoll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when told to, for tests of TTLs, backoff, leases and timeouts without
 * sleeping. An engine built with it wakes its scheduler whenever the clock is moved, so due work
 * happens right after {@link #advance}.
 *
 * <p>Thread-safe. Listeners are held until removed; an engine removes its own on close.
 */
public final class SettableClock extends Clock {
  private final ZoneId zone;
  private volatile long millis;
  private final List<Runnable> listeners;

  public SettableClock(Instant start) {
    this(start.toEpochMilli(), ZoneOffset.UTC, new CopyOnWriteArrayList<>());
  }

  private SettableClock(long millis, ZoneId zone, List<Runnable> listeners) {
    this.millis = millis;
    this.zone = zone;
    this.listeners = listeners;
  }

  /** A clock at 2030-01-01T00:00:00Z. */
  public static SettableClock atFixedStart() {
    return new SettableClock(Instant.parse("2030-01-01T00:00:00Z"));
  }

  /** Moves the clock forward (or back, for a negative amount) and wakes listeners. */
  public void advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    synchronized (this) {
      millis += amount.toMillis();
    }
    listeners.forEach(Runnable::run);
  }

  /** Sets the clock and wakes listeners. */
  public void set(Instant instant) {
    synchronized (this) {
      millis = instant.toEpochMilli();
    }
    listeners.forEach(Runnable::run);
  }

  /** Runs {@code listener} after every move of this clock. */
  public void addListener(Runnable listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    throw new UnsupportedOperationException("SettableClock is UTC only; share one instance");
  }
}
