package dev.plimsoll.process.internal;

import dev.plimsoll.internal.RateLimitedLog;
import dev.plimsoll.process.CommandResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one child process to its end on the calling thread (a pool runner). Threads: the caller
 * waits for the process; up to three tasks on the shared {@code io} executor drain stdout and
 * stderr into {@link CappedOutput}s and feed stdin, and they end when the pipes close. Stopping is
 * always TERM to the whole tree, then KILL after the grace period. When the child exits by itself,
 * whatever it left running in its process group is stopped the same way, so nothing outlives the
 * call.
 */
public final class ChildRun {
  private static final Logger LOG = LoggerFactory.getLogger(ChildRun.class);
  private static final RateLimitedLog STUCK_PIPES = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);

  private final ProcessBuilder builder;
  private final byte[] stdin;
  private final Duration timeout;
  private final Duration killGrace;
  private final int stdoutCap;
  private final int stderrCap;
  private final Executor io;

  public ChildRun(
      ProcessBuilder builder,
      byte[] stdin,
      Duration timeout,
      Duration killGrace,
      int stdoutCap,
      int stderrCap,
      Executor io) {
    this.builder = builder;
    this.stdin = stdin;
    this.timeout = timeout;
    this.killGrace = killGrace;
    this.stdoutCap = stdoutCap;
    this.stderrCap = stderrCap;
    this.io = io;
  }

  /**
   * Starts the process and waits for it and its output.
   *
   * @throws IOException the process could not be started
   * @throws InterruptedException the caller was interrupted; the tree was stopped first
   */
  public CommandResult run() throws IOException, InterruptedException {
    long started = System.nanoTime();
    Process process = ProcessTrees.startInOwnGroup(builder);
    CappedOutput out = new CappedOutput(stdoutCap);
    CappedOutput err = new CappedOutput(stderrCap);
    CompletableFuture<Void> streams;
    try {
      // The stdin writer is awaited with the readers, so a call never leaves an I/O task behind
      // that the next call on this runner would have to share the I/O bound with.
      CompletableFuture<Void> feeding;
      if (stdin.length > 0) {
        feeding = CompletableFuture.runAsync(() -> feed(process.getOutputStream(), stdin), io);
      } else {
        closeQuietly(process.getOutputStream());
        feeding = CompletableFuture.completedFuture(null);
      }
      streams =
          CompletableFuture.allOf(
              CompletableFuture.runAsync(() -> drain(process.getInputStream(), out), io),
              CompletableFuture.runAsync(() -> drain(process.getErrorStream(), err), io),
              feeding);
    } catch (RejectedExecutionException rejected) {
      stop(process, started);
      throw new IllegalStateException(
          "no I/O thread free for process "
              + process.pid()
              + ": output pipes are held open by processes that left their group",
          rejected);
    }

    boolean timedOut = false;
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        timedOut = true;
        stop(process, started);
      }
    } catch (InterruptedException e) {
      stop(process, started);
      awaitStreams(process, started, streams);
      throw e;
    }
    sweepLeftovers(process, started);
    awaitStreams(process, started, streams);
    return new CommandResult(
        process.pid(),
        process.exitValue(),
        timedOut,
        out.bytes(),
        out.totalBytes(),
        err.bytes(),
        err.totalBytes(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** TERM to the tree, KILL after the grace period; returns once the child was reaped. */
  private void stop(Process process, long started) {
    ProcessTrees.terminate(process, started, killGrace);
    sweepLeftovers(process, started);
  }

  /** Stops what the (exited) child left running in its group or below it. */
  private void sweepLeftovers(Process process, long started) {
    ProcessHandle root = process.toHandle();
    if (ProcessTrees.signal(root, started, false) == 0) {
      return;
    }
    long deadline = System.nanoTime() + killGrace.toNanos();
    while (!ProcessTrees.members(root, started).isEmpty()) {
      if (System.nanoTime() - deadline >= 0) {
        ProcessTrees.signal(root, started, true);
        return;
      }
      parkMillis(10);
    }
  }

  private void awaitStreams(Process process, long started, CompletableFuture<Void> streams) {
    if (awaitUninterruptibly(streams, killGrace)) {
      return;
    }
    // A process outside our reach still holds a pipe: kill what we can see, then give up.
    ProcessTrees.signal(process.toHandle(), started, true);
    if (!awaitUninterruptibly(streams, killGrace)) {
      STUCK_PIPES.warn(
          "output of process {} still open {} after it exited; a process that left its group holds"
              + " it; returning what was read",
          process.pid(),
          killGrace);
      closeQuietly(process.getInputStream());
      closeQuietly(process.getErrorStream());
    }
  }

  private static void drain(InputStream in, CappedOutput into) {
    try (in) {
      into.drain(in);
    } catch (IOException e) {
      // Stream closed under us (we gave up on it): keep what was read.
    }
  }

  private static void feed(OutputStream stdin, byte[] bytes) {
    try (stdin) {
      stdin.write(bytes);
    } catch (IOException e) {
      // The child exited or closed stdin without reading everything: not our error.
    }
  }

  static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /** Waits for exit, ignoring interrupts (restoring the flag); true if it exited. */
  static boolean waitUninterruptibly(Process process, Duration max) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + max.toNanos();
    try {
      while (true) {
        try {
          return process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static boolean awaitUninterruptibly(CompletableFuture<?> future, Duration max) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + max.toNanos();
    try {
      while (true) {
        try {
          future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          return true;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          return true;
        } catch (TimeoutException e) {
          return false;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void parkMillis(long millis) {
    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }
}
