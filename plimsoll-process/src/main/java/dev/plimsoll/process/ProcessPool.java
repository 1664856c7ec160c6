package dev.plimsoll.process;

import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.internal.RateLimitedLog;
import dev.plimsoll.process.internal.ChildRun;
import dev.plimsoll.process.internal.NamedThreadFactory;
import dev.plimsoll.process.internal.PoolCounters;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one-shot commands as child processes, at most {@code maxConcurrency} at once, with a bounded
 * queue in front, a per-call timeout that stops the whole process tree, and capped output buffers
 * (incident 003).
 *
 * <p>Design: a {@link ThreadPoolExecutor} with {@code maxConcurrency} named runner threads (they
 * time out when idle) and an {@link ArrayBlockingQueue} of {@code queueCapacity} is the concurrency
 * limit and the queue; each runner starts one child and waits for it. A second executor of at most
 * {@code 3 × maxConcurrency} named I/O threads drains stdout/stderr and feeds stdin (three per
 * running child at most; they are reused). No other thread is started per call. Cancellation and
 * shutdown reach a running call by interrupting its runner, which stops the tree (TERM, then KILL
 * after {@code killGrace}) before it returns. The JDK adds its own "process reaper" thread per live
 * child.
 *
 * <p>Thread-safe. {@link #close()} is idempotent and returns once every child is gone.
 */
public final class ProcessPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessPool.class);

  private final ProcessPoolConfig config;
  private final String bound;
  private final ThreadPoolExecutor runners;
  private final ThreadPoolExecutor io;
  private final PoolCounters counters = new PoolCounters();
  private final Set<Call> running = ConcurrentHashMap.newKeySet();
  private final RateLimitedLog rejections = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
  private final RateLimitedLog timeouts = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
  private final Object lifecycle = new Object();
  private volatile boolean closing;
  private boolean closed;

  private ProcessPool(ProcessPoolConfig config) {
    this.config = config;
    this.bound = "process pool '" + config.name() + "' queue";
    String prefix = "plimsoll-process-" + config.name();
    BlockingQueue<Runnable> queue =
        config.queueCapacity() == 0
            ? new SynchronousQueue<>()
            : new ArrayBlockingQueue<>(config.queueCapacity());
    this.runners =
        new ThreadPoolExecutor(
            config.maxConcurrency(),
            config.maxConcurrency(),
            30,
            TimeUnit.SECONDS,
            queue,
            new NamedThreadFactory(prefix + "-runner"),
            new ThreadPoolExecutor.AbortPolicy());
    this.runners.allowCoreThreadTimeOut(true);
    this.io =
        new ThreadPoolExecutor(
            0,
            3 * config.maxConcurrency(),
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            new NamedThreadFactory(prefix + "-io"),
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** Creates a pool; nothing is started until the first call. */
  public static ProcessPool create(ProcessPoolConfig config) {
    return new ProcessPool(config);
  }

  public ProcessPoolConfig config() {
    return config;
  }

  /**
   * Queues a command and returns its future result. The future completes with the result whatever
   * the exit code (check {@link CommandResult#succeeded()}), or fails with {@link
   * ProcessStartException} or {@link EngineClosedException}. Cancelling it stops the process tree.
   *
   * @throws CapacityExceededException the queue is full (names the bound and its limit)
   * @throws EngineClosedException the pool is shutting down
   * @throws IllegalArgumentException stdin is larger than {@code maxStdinBytes}
   */
  public CompletableFuture<CommandResult> submit(CommandRequest request) {
    if (request.stdinLength() > config.maxStdinBytes()) {
      throw new IllegalArgumentException(
          "stdin is "
              + request.stdinLength()
              + " bytes, over the limit of "
              + config.maxStdinBytes()
              + " (maxStdinBytes of process pool '"
              + config.name()
              + "')");
    }
    if (closing) {
      throw shuttingDown();
    }
    Call call = new Call(request);
    try {
      runners.execute(call);
    } catch (RejectedExecutionException e) {
      if (closing) {
        throw shuttingDown();
      }
      counters.rejected();
      rejections.warn(
          "{} is full ({} waiting, {} running); rejecting {}",
          bound,
          config.queueCapacity(),
          config.maxConcurrency(),
          request);
      throw new CapacityExceededException(bound, config.queueCapacity());
    }
    counters.admitted(runners.getQueue().size());
    return call.future;
  }

  /**
   * Runs a command and waits for it. Interrupting the caller stops the process tree.
   *
   * @throws ProcessStartException the command could not be started
   * @throws CapacityExceededException the queue is full
   * @throws EngineClosedException the pool is shutting down (or shut down while the call ran)
   */
  public CommandResult run(CommandRequest request) throws InterruptedException {
    return Checks.await(submit(request));
  }

  public ProcessPoolStats stats() {
    return counters.snapshot(
        config.name(), runners.getQueue().size(), config.maxConcurrency(), config.queueCapacity());
  }

  /** Shuts down with the configured {@code shutdownGrace}. */
  @Override
  public void close() {
    shutdown(config.shutdownGrace());
  }

  /**
   * Stops admitting calls; fails queued ones with {@link EngineClosedException}; gives running ones
   * {@code grace} to finish, then stops their process trees (TERM, then KILL after {@code
   * killGrace}). Returns when no child of this pool is left. Idempotent; later calls return at
   * once.
   */
  public void shutdown(Duration grace) {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closing = true;
      runners.shutdown();
      List<Runnable> queued = new ArrayList<>();
      runners.getQueue().drainTo(queued);
      for (Runnable r : queued) {
        ((Call) r).failQueued();
      }
      LOG.info(
          "process pool '{}' shutting down: {} queued calls failed, {} running get {}",
          config.name(),
          queued.size(),
          running.size(),
          grace);
      boolean finished = awaitRunners(grace);
      if (!finished) {
        for (Call call : running) {
          call.stop(StopReason.SHUTDOWN);
        }
        Duration killWait = config.killGrace().plusSeconds(15);
        if (!awaitRunners(killWait)) {
          LOG.error("process pool '{}': runners still busy {} after kill", config.name(), killWait);
        }
      }
      io.shutdown();
      closed = true;
    }
  }

  private boolean awaitRunners(Duration max) {
    try {
      return runners.awaitTermination(max.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return runners.isTerminated();
    }
  }

  private EngineClosedException shuttingDown() {
    return new EngineClosedException("process pool '" + config.name() + "' is shutting down");
  }

  private enum StopReason {
    CANCELLED,
    SHUTDOWN
  }

  /** One admitted call: queued, then run by a runner thread. */
  private final class Call implements Runnable {
    private final CommandRequest request;
    private final CompletableFuture<CommandResult> future;
    private Thread runner; // guarded by this
    private StopReason stopReason; // guarded by this

    Call(CommandRequest request) {
      this.request = request;
      this.future = new CompletableFuture<>();
      future.whenComplete(
          (r, e) -> {
            if (e instanceof CancellationException) {
              stop(StopReason.CANCELLED);
            }
          });
    }

    synchronized void stop(StopReason reason) {
      if (stopReason == null) {
        stopReason = reason;
      }
      if (runner != null) {
        runner.interrupt();
      }
    }

    void failQueued() {
      counters.ended(false, false);
      future.completeExceptionally(
          new EngineClosedException(
              "process pool '"
                  + config.name()
                  + "' is shutting down; the queued call was dropped"));
    }

    @Override
    public void run() {
      if (closing) {
        failQueued();
        return;
      }
      synchronized (this) {
        if (future.isDone() || stopReason != null) {
          counters.ended(false, false);
          return;
        }
        runner = Thread.currentThread();
      }
      running.add(this);
      counters.started();
      CommandResult result = null;
      Throwable failure = null;
      try {
        result = childRun().run();
      } catch (IOException e) {
        failure =
            new ProcessStartException(
                "could not start " + request.argv().get(0) + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        failure = stoppedError();
      } catch (RuntimeException e) {
        failure = e;
      } finally {
        running.remove(this);
        synchronized (this) {
          runner = null;
        }
        Thread.interrupted(); // an interrupt meant for this call must not reach the next
      }
      // Counters first, so a caller woken by the future sees its call counted.
      boolean timedOut = result != null && result.timedOut();
      counters.finished(result != null && result.succeeded(), timedOut);
      if (result == null) {
        future.completeExceptionally(failure);
        return;
      }
      if (timedOut) {
        timeouts.warn(
            "process pool '{}': {} timed out after {}; stopped its process tree",
            config.name(),
            request,
            result.duration());
      }
      future.complete(result);
    }

    private synchronized RuntimeException stoppedError() {
      if (stopReason == StopReason.SHUTDOWN) {
        return new EngineClosedException(
            "process pool '"
                + config.name()
                + "' shut down: the command was still running after the grace period and was"
                + " killed");
      }
      return new CancellationException("call cancelled; its process tree was stopped");
    }

    private ChildRun childRun() {
      ProcessBuilder builder = new ProcessBuilder(request.argv());
      Map<String, String> env = builder.environment();
      if (!request.inheritEnvironment()) {
        env.clear();
      }
      env.putAll(request.env());
      request.cwd().ifPresent(dir -> builder.directory(dir.toFile()));
      return new ChildRun(
          builder,
          request.stdinUnsafe(),
          request.timeout().orElse(config.defaultTimeout()),
          config.killGrace(),
          config.stdoutCap(),
          config.stderrCap(),
          io);
    }
  }
}
