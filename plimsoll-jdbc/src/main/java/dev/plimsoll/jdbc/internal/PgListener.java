package dev.plimsoll.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread holds one connection that LISTENs on the store's channel and calls {@code wake}
 * for every batch of notifications, so idle workers start without poll latency. When the connection
 * breaks it reconnects with capped backoff, and wakes the workers once connected again
 * (notifications sent meanwhile are lost; the engine's poll covers the gap too). Failures are
 * logged once per outage, not once per attempt.
 */
public final class PgListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
  private static final int WAIT_MILLIS = 500;
  private static final long MAX_BACKOFF_MILLIS = 2_000;

  private final DataSource dataSource;
  private final String channel;
  private final Runnable wake;
  private final String ownSender;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stopped = lock.newCondition();
  private volatile boolean running = true;

  /**
   * @param ownSender payload of the notifications this node sends about its own inserts, which need
   *     no wake-up here
   */
  public PgListener(
      DataSource dataSource, String channel, String ownSender, Runnable wake, String threadName) {
    this.dataSource = dataSource;
    this.channel = channel;
    this.ownSender = ownSender;
    this.wake = wake;
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    long backoff = 50;
    boolean failing = false;
    while (running) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + channel);
        }
        if (failing) {
          LOG.info("listening on {} again; waking workers", channel);
          failing = false;
        }
        backoff = 50;
        wake.run();
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notes = pg.getNotifications(WAIT_MILLIS);
          if (fromOthers(notes)) {
            wake.run();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        if (!failing) {
          LOG.warn("LISTEN connection on {} lost ({}); reconnecting", channel, e.getMessage());
          failing = true;
        }
        pause(backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
  }

  private void pause(long millis) {
    lock.lock();
    try {
      if (running) {
        stopped.await(millis, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    running = false;
    lock.lock();
    try {
      stopped.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(WAIT_MILLIS * 4L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean fromOthers(PGNotification[] notes) {
    if (notes == null) {
      return false;
    }
    for (PGNotification n : notes) {
      if (!ownSender.equals(n.getParameter())) {
        return true;
      }
    }
    return false;
  }
}
