package dev.plimsoll.process;

import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.internal.RateLimitedLog;
import dev.plimsoll.process.WorkerTaskException.Reason;
import dev.plimsoll.process.internal.NamedThreadFactory;
import dev.plimsoll.process.internal.PoolCounters;
import dev.plimsoll.process.internal.WorkerProcess;
import dev.plimsoll.process.internal.WorkerProtocol;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-lived worker processes that take tasks as newline-delimited JSON on stdin and answer on
 * stdout (protocol in docs/process-pool.md; Python reference worker {@code
 * dev/plimsoll/process/plimsoll_worker.py} on the classpath). A worker is recycled after {@code
 * maxTasksPerWorker} tasks or when its resident memory is over {@code maxMemoryBytes} between
 * tasks; over the limit during a task it is killed and that task fails with {@link
 * Reason#MEMORY_LIMIT_EXCEEDED}. A worker that exits while holding a task fails only that task and
 * is restarted after a backoff that doubles per consecutive crash.
 *
 * <p>Design: {@code workers} named slot threads each own at most one worker process and take tasks
 * from one queue (admission bounded under a lock). While a task runs its slot waits for the answer
 * in slices of {@code memoryCheckInterval}, reading the worker's memory and checking the timeout
 * and cancellation between slices, so no monitor thread is needed. Per live worker two tasks on a
 * shared I/O executor (at most {@code 2 × workers} threads) read stdout and stderr. Workers start
 * lazily, on a slot's first task. Shutdown puts one stop marker per slot behind the drained queue.
 */
public final class WorkerPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
  private static final Task STOP = new Task(null);

  private final WorkerPoolConfig config;
  private final String bound;
  private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final Object admission = new Object();
  private final Object lifecycle = new Object();
  private final List<Thread> slotThreads = new ArrayList<>();
  private final ThreadPoolExecutor io;
  private final PoolCounters counters = new PoolCounters();
  private final AtomicInteger liveWorkers = new AtomicInteger();
  private final LongAdder started = new LongAdder();
  private final LongAdder recycledAfterTasks = new LongAdder();
  private final LongAdder recycledForMemory = new LongAdder();
  private final LongAdder killedForMemory = new LongAdder();
  private final LongAdder crashes = new LongAdder();
  private final RateLimitedLog rejections = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
  private final RateLimitedLog failures = new RateLimitedLog(LOG, 5, TimeUnit.SECONDS);
  private final RateLimitedLog recycles = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
  private volatile boolean closing; // set under admission
  private boolean closed; // guarded by lifecycle

  private WorkerPool(WorkerPoolConfig config) {
    this.config = config;
    this.bound = "worker pool '" + config.name() + "' queue";
    String prefix = "plimsoll-workers-" + config.name();
    this.io =
        new ThreadPoolExecutor(
            0,
            2 * config.workers(),
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            new NamedThreadFactory(prefix + "-io"),
            new ThreadPoolExecutor.AbortPolicy());
    NamedThreadFactory slots = new NamedThreadFactory(prefix + "-slot");
    for (int i = 0; i < config.workers(); i++) {
      slotThreads.add(slots.newThread(new Slot()));
    }
  }

  /** Creates the pool and its slot threads; worker processes start on their first task. */
  public static WorkerPool start(WorkerPoolConfig config) {
    WorkerPool pool = new WorkerPool(config);
    pool.slotThreads.forEach(Thread::start);
    return pool;
  }

  public WorkerPoolConfig config() {
    return config;
  }

  /**
   * Queues a task whose payload is one JSON value. The future completes with the worker's result
   * (compact JSON text) or fails with {@link WorkerTaskException} or {@link EngineClosedException}.
   *
   * @throws IllegalArgumentException the payload is not one JSON value or is over {@code
   *     maxPayloadBytes}
   * @throws CapacityExceededException the queue is full
   * @throws EngineClosedException the pool is shutting down
   */
  public CompletableFuture<String> submit(String payloadJson) {
    String payload = WorkerProtocol.compact(payloadJson, "payload");
    if (payload.length() > config.maxPayloadBytes()) {
      throw new IllegalArgumentException(
          "payload is "
              + payload.length()
              + " characters, over the limit of "
              + config.maxPayloadBytes()
              + " (maxPayloadBytes of worker pool '"
              + config.name()
              + "')");
    }
    Task task = new Task(payload);
    synchronized (admission) {
      if (closing) {
        throw new EngineClosedException("worker pool '" + config.name() + "' is shutting down");
      }
      if (queue.size() >= config.queueCapacity()) {
        counters.rejected();
        rejections.warn("{} is full ({} waiting); rejecting a task", bound, queue.size());
        throw new CapacityExceededException(bound, config.queueCapacity());
      }
      queue.add(task);
      counters.admitted(queue.size());
    }
    return task.future;
  }

  /** Runs a task and waits for its result. Interrupting the caller cancels the task. */
  public String call(String payloadJson) throws InterruptedException {
    return Checks.await(submit(payloadJson));
  }

  public WorkerPoolStats stats() {
    return new WorkerPoolStats(
        counters.snapshot(config.name(), queue.size(), config.workers(), config.queueCapacity()),
        liveWorkers.get(),
        started.sum(),
        recycledAfterTasks.sum(),
        recycledForMemory.sum(),
        killedForMemory.sum(),
        crashes.sum());
  }

  @Override
  public void close() {
    shutdown(config.shutdownGrace());
  }

  /**
   * Stops admitting; fails queued tasks with {@link EngineClosedException}; running tasks get
   * {@code grace}, then their workers are killed and the tasks fail the same way; idle workers are
   * stopped (stdin closed, then TERM, then KILL). Returns when no worker process is left.
   * Idempotent.
   */
  public void shutdown(Duration grace) {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      List<Task> dropped = new ArrayList<>();
      synchronized (admission) {
        closing = true;
        queue.drainTo(dropped);
        for (int i = 0; i < slotThreads.size(); i++) {
          queue.add(STOP);
        }
      }
      for (Task task : dropped) {
        counters.ended(false, false);
        task.future.completeExceptionally(
            new EngineClosedException(
                "worker pool '"
                    + config.name()
                    + "' is shutting down; the queued task was dropped"));
      }
      LOG.info(
          "worker pool '{}' shutting down: {} queued tasks failed, {} running get {}",
          config.name(),
          dropped.size(),
          counters.active(),
          grace);
      long deadline = System.nanoTime() + grace.toNanos();
      joinAll(deadline);
      for (Thread t : slotThreads) {
        if (t.isAlive()) {
          t.interrupt();
        }
      }
      joinAll(System.nanoTime() + config.killGrace().plusSeconds(15).toNanos());
      io.shutdown();
      closed = true;
    }
  }

  private void joinAll(long deadlineNanos) {
    for (Thread t : slotThreads) {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        try {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** How a task ended: a result, or an error. */
  private record Outcome(String result, RuntimeException error) {
    static Outcome failed(RuntimeException error) {
      return new Outcome(null, error);
    }

    Reason reason() {
      return error instanceof WorkerTaskException w ? w.reason() : null;
    }
  }

  private static final class Task {
    final String payload;
    final CompletableFuture<String> future = new CompletableFuture<>();

    Task(String payload) {
      this.payload = payload;
    }
  }

  /** One slot: a thread owning at most one worker process. All fields confined to the thread. */
  private final class Slot implements Runnable {
    private WorkerProcess worker;
    private long nextId;
    private int consecutiveCrashes;
    private long notBefore = System.nanoTime();

    @Override
    public void run() {
      boolean interrupted = false;
      try {
        while (true) {
          awaitBackoff();
          Task task = queue.take();
          if (task == STOP) {
            return;
          }
          runOne(task);
        }
      } catch (InterruptedException e) {
        interrupted = true;
      } finally {
        if (worker != null) {
          if (interrupted) {
            worker.kill();
          } else {
            worker.stopGracefully(config.killGrace());
          }
          dropWorker();
        }
      }
    }

    private void awaitBackoff() throws InterruptedException {
      long wait = notBefore - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }

    private void runOne(Task task) throws InterruptedException {
      if (task.future.isDone()) { // cancelled while queued
        counters.ended(false, false);
        return;
      }
      counters.started();
      Outcome outcome;
      try {
        outcome = execute(task);
      } catch (InterruptedException e) {
        counters.finished(false, false);
        task.future.completeExceptionally(
            new EngineClosedException(
                "worker pool '"
                    + config.name()
                    + "' shut down: the task was still running after the grace period and its"
                    + " worker was killed"));
        throw e;
      }
      // Counters first, so a caller woken by the future sees its task counted.
      counters.finished(outcome.error == null, outcome.reason() == Reason.TIMED_OUT);
      WorkerProcess retiring = retireIfDue();
      if (outcome.error == null) {
        task.future.complete(outcome.result);
      } else {
        task.future.completeExceptionally(outcome.error);
      }
      if (retiring != null) { // stopped after the caller was answered
        retiring.stopGracefully(config.killGrace());
        liveWorkers.decrementAndGet();
      }
    }

    /** Runs the task on this slot's worker. */
    private Outcome execute(Task task) throws InterruptedException {
      Outcome notStarted = ensureWorker();
      if (notStarted != null) {
        return notStarted;
      }
      long id = ++nextId;
      if (!worker.send(WorkerProtocol.request(id, task.payload))) {
        return crashed();
      }
      long deadline = System.nanoTime() + config.taskTimeout().toNanos();
      long slice = config.memoryCheckInterval().toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          worker.terminate(config.killGrace());
          return fail(Reason.TIMED_OUT, "no answer within " + config.taskTimeout());
        }
        WorkerProcess.Line line;
        try {
          line = worker.poll(Math.min(left, slice), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          worker.kill();
          dropWorker();
          throw e;
        }
        if (line == null) {
          if (task.future.isCancelled()) {
            worker.terminate(config.killGrace());
            dropWorker();
            return Outcome.failed(new WorkerTaskException(Reason.TASK_ERROR, "cancelled"));
          }
          long rss = config.memoryProbe().residentBytes(worker.pid());
          if (rss > config.maxMemoryBytes()) {
            worker.kill();
            killedForMemory.increment();
            return fail(
                Reason.MEMORY_LIMIT_EXCEEDED,
                "memory limit exceeded: resident memory "
                    + mib(rss)
                    + " is over maxMemoryBytes "
                    + mib(config.maxMemoryBytes())
                    + "; the worker was killed");
          }
          continue;
        }
        if (line.eof()) {
          return crashed();
        }
        if (line.tooLong()) {
          worker.kill();
          return fail(
              Reason.PROTOCOL_ERROR,
              "response line longer than maxResponseBytes " + config.maxResponseBytes());
        }
        return answer(id, line.text());
      }
    }

    private Outcome answer(long id, String text) {
      WorkerProtocol.Response response;
      try {
        response = WorkerProtocol.response(text);
      } catch (IllegalArgumentException e) {
        worker.kill();
        return fail(Reason.PROTOCOL_ERROR, e.getMessage() + ": " + preview(text));
      }
      if (response.id() != id) {
        worker.kill();
        return fail(Reason.PROTOCOL_ERROR, "answer has id " + response.id() + ", expected " + id);
      }
      worker.taskDone();
      consecutiveCrashes = 0;
      if (response.ok()) {
        return new Outcome(response.result(), null);
      }
      return Outcome.failed(new WorkerTaskException(Reason.TASK_ERROR, response.error()));
    }

    /** Null when a worker is ready, else the failed outcome. */
    private Outcome ensureWorker() {
      if (worker != null && worker.isAlive()) {
        return null;
      }
      if (worker != null) { // died while idle: clean up, start a fresh one
        worker.kill();
        dropWorker();
      }
      ProcessBuilder builder = new ProcessBuilder(config.command());
      builder.environment().putAll(config.env());
      config.cwd().ifPresent(dir -> builder.directory(dir.toFile()));
      try {
        worker = WorkerProcess.start(builder, config.maxResponseBytes(), io);
      } catch (IOException | RuntimeException e) {
        crashes.increment();
        backOff();
        return failAndLog(Reason.WORKER_CRASHED, "worker could not start: " + e.getMessage(), -1);
      }
      started.increment();
      liveWorkers.incrementAndGet();
      return null;
    }

    /** The worker's stdout closed (it exited) while it held the task. */
    private Outcome crashed() {
      long pid = worker.pid();
      if (!worker.awaitExit(config.killGrace())) {
        worker.kill();
      }
      Integer code = worker.exitCode();
      String tail = worker.stderrTailAfterExit(config.killGrace()).strip();
      worker.kill(); // sweeps what it left in its group
      crashes.increment();
      backOff();
      return failAndLog(
          Reason.WORKER_CRASHED,
          "worker exited with code "
              + code
              + " while running the task"
              + (tail.isEmpty() ? "" : "; stderr tail: " + tail),
          pid);
    }

    private void backOff() {
      consecutiveCrashes++;
      long delay = config.restartBackoff().toNanos();
      for (int i = 1; i < consecutiveCrashes && delay < config.maxRestartBackoff().toNanos(); i++) {
        delay *= 2;
      }
      delay = Math.min(delay, config.maxRestartBackoff().toNanos());
      notBefore = System.nanoTime() + delay;
    }

    /** The failed outcome after this slot stopped its worker. */
    private Outcome fail(Reason reason, String message) {
      long pid = worker.pid();
      return failAndLog(reason, message, pid);
    }

    private Outcome failAndLog(Reason reason, String message, long pid) {
      dropWorker();
      String full = "worker pool '" + config.name() + "'" + (pid > 0 ? " pid " + pid : "") + ": ";
      failures.warn("{}{}", full, message);
      return Outcome.failed(new WorkerTaskException(reason, full + message));
    }

    /** Detaches (and counts) the worker if it is due for recycling; the caller stops it. */
    private WorkerProcess retireIfDue() {
      if (worker == null || closing) {
        return null;
      }
      if (worker.tasksDone() >= config.maxTasksPerWorker()) {
        recycledAfterTasks.increment();
        LOG.debug("recycling worker {} after {} tasks", worker.pid(), worker.tasksDone());
      } else {
        long rss = config.memoryProbe().residentBytes(worker.pid());
        if (rss <= config.maxMemoryBytes()) {
          return null;
        }
        recycledForMemory.increment();
        recycles.info(
            "worker pool '{}': recycling worker {} at {} resident, over {}",
            config.name(),
            worker.pid(),
            mib(rss),
            mib(config.maxMemoryBytes()));
      }
      WorkerProcess retiring = worker;
      worker = null;
      return retiring;
    }

    private void dropWorker() {
      if (worker != null) {
        worker = null;
        liveWorkers.decrementAndGet();
      }
    }
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private static String preview(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
