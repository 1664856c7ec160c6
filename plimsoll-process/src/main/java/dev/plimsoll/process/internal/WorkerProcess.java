package dev.plimsoll.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One live persistent worker process, owned by one slot thread. Two tasks on the shared I/O
 * executor read its stdout (protocol lines, into a small hand-off queue) and its stderr (only the
 * last {@link #STDERR_TAIL} bytes are kept, for crash reports); both end when the process's pipes
 * close. Everything else is called by the owning slot thread only.
 */
public final class WorkerProcess {
  public static final int STDERR_TAIL = 4096;
  private static final int LINE_QUEUE = 4;

  /** What the stdout reader hands over: a line, end of stream, or an over-long line. */
  public record Line(String text, boolean eof, boolean tooLong) {}

  private static final Line EOF = new Line(null, true, false);
  private static final Line TOO_LONG = new Line(null, false, true);

  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<Line> lines = new ArrayBlockingQueue<>(LINE_QUEUE);
  private final TailBuffer stderrTail = new TailBuffer(STDERR_TAIL);
  private final CompletableFuture<Void> stderrDone;
  private final CompletableFuture<Void> streams;
  private final long startedNanos = System.nanoTime();
  private volatile boolean ended;
  private int tasksDone;

  private WorkerProcess(Process process, int maxLineBytes, Executor io) {
    this.process = process;
    this.stdin = process.getOutputStream();
    this.stderrDone = CompletableFuture.runAsync(() -> readTail(process.getErrorStream()), io);
    this.streams =
        CompletableFuture.allOf(
            CompletableFuture.runAsync(() -> readLines(process.getInputStream(), maxLineBytes), io),
            stderrDone);
  }

  /** Starts a worker in its own process group. */
  public static WorkerProcess start(ProcessBuilder builder, int maxLineBytes, Executor io)
      throws IOException {
    Process process = ProcessTrees.startInOwnGroup(builder);
    try {
      return new WorkerProcess(process, maxLineBytes, io);
    } catch (RuntimeException rejected) {
      process.destroyForcibly();
      ChildRun.waitUninterruptibly(process, Duration.ofSeconds(10));
      throw rejected;
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int tasksDone() {
    return tasksDone;
  }

  public void taskDone() {
    tasksDone++;
  }

  /** Writes one request line; false if the worker's stdin is closed (it died). */
  public boolean send(String line) {
    try {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The next line, or null if none arrived within {@code timeout}. */
  public Line poll(long timeout, TimeUnit unit) throws InterruptedException {
    Line line = lines.poll(timeout, unit);
    if (line == null && ended && lines.isEmpty()) {
      return EOF;
    }
    return line;
  }

  /** The exit code once it ended, else null. */
  public Integer exitCode() {
    return process.isAlive() ? null : process.exitValue();
  }

  /** Waits up to {@code max} for the process to exit; true if it did. */
  public boolean awaitExit(Duration max) {
    return ChildRun.waitUninterruptibly(process, max);
  }

  /**
   * The last bytes the worker wrote to stderr, once it has exited: waits up to {@code max} for the
   * reader to reach the end of the stream, so a message written just before a crash is included.
   */
  public String stderrTailAfterExit(Duration max) {
    ChildRun.awaitUninterruptibly(stderrDone, max);
    return stderrTail.text();
  }

  /**
   * Graceful stop: close stdin (a worker exits at end of input), wait {@code grace}; then TERM the
   * tree, wait {@code grace}; then KILL. Returns when the process and its group are gone.
   */
  public void stopGracefully(Duration grace) {
    ChildRun.closeQuietly(stdin);
    if (!ChildRun.waitUninterruptibly(process, grace)) {
      ProcessTrees.terminate(process, startedNanos, grace);
    }
    finish();
  }

  /** KILL the whole tree at once (memory limit, protocol error, forced shutdown). */
  public void kill() {
    ProcessTrees.signal(process.toHandle(), startedNanos, true);
    finish();
  }

  /** TERM the tree, KILL after {@code grace} (timeout, cancellation). */
  public void terminate(Duration grace) {
    ProcessTrees.terminate(process, startedNanos, grace);
    finish();
  }

  private void finish() {
    ChildRun.closeQuietly(stdin);
    ChildRun.waitUninterruptibly(process, Duration.ofSeconds(10));
    // Leftovers in the group (the worker's own children) go too.
    ProcessTrees.signal(process.toHandle(), startedNanos, true);
    if (!ChildRun.awaitUninterruptibly(streams, Duration.ofSeconds(5))) {
      ChildRun.closeQuietly(process.getInputStream());
      ChildRun.closeQuietly(process.getErrorStream());
    }
  }

  private void readLines(InputStream in, int maxLineBytes) {
    try (in) {
      BoundedLineReader reader = new BoundedLineReader(in, maxLineBytes);
      String text;
      while ((text = reader.readLine()) != null) {
        if (text == BoundedLineReader.TOO_LONG) {
          lines.offer(TOO_LONG);
          return;
        }
        if (!lines.offer(new Line(text, false, false))) {
          return; // flooding with unrequested lines: the slot sees a protocol error first
        }
      }
    } catch (IOException e) {
      // pipe closed under us
    } finally {
      ended = true;
      lines.offer(EOF);
    }
  }

  private void readTail(InputStream in) {
    byte[] chunk = new byte[4096];
    try (in) {
      int n;
      while ((n = in.read(chunk)) != -1) {
        stderrTail.append(chunk, n);
      }
    } catch (IOException e) {
      // pipe closed under us
    }
  }

  /** Keeps the last {@code cap} bytes written to it. Thread-safe. */
  static final class TailBuffer {
    private final byte[] ring;
    private long written;

    TailBuffer(int cap) {
      this.ring = new byte[cap];
    }

    synchronized void append(byte[] bytes, int n) {
      for (int i = Math.max(0, n - ring.length); i < n; i++) {
        ring[(int) (written++ % ring.length)] = bytes[i];
      }
    }

    synchronized String text() {
      int size = (int) Math.min(written, ring.length);
      byte[] out = new byte[size];
      long from = written - size;
      for (int i = 0; i < size; i++) {
        out[i] = ring[(int) ((from + i) % ring.length)];
      }
      return new String(out, StandardCharsets.UTF_8);
    }
  }
}
