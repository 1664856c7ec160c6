package dev.plimsoll.jdbc;

import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobRequest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A Plimsoll node in a child JVM, for tests that kill it with SIGKILL. Usage: {@code NodeProcess
 * <mode> <sqlite|postgres> <file or schema> <log file>}.
 *
 * <ul>
 *   <li>{@code submit}: submits jobs of type {@code work} one at a time, forever, appending each
 *       acknowledged id to the log after {@code submit} returned; its own handler of {@code work}
 *       blocks, so jobs are running when it is killed.
 *   <li>{@code work}: runs {@code work} jobs (1 ms each), appending each id to the log as its
 *       attempt starts; after {@link #WORK_BEFORE_HOLDING} it holds the jobs it starts.
 * </ul>
 */
public final class NodeProcess {
  /**
   * A {@code work} node runs this many jobs, then holds every further job RUNNING, so that a test
   * killing it after that many starts always finds jobs held by the dead node.
   */
  static final int WORK_BEFORE_HOLDING = 300;

  /** Lease of the child nodes: short, so that tests see recovery quickly. */
  static final Duration LEASE = Duration.ofSeconds(2);

  private NodeProcess() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    JdbcJobStore store =
        args[1].equals("sqlite")
            ? JdbcJobStore.sqlite(Path.of(args[2])).build()
            : JdbcJobStore.postgres(PgTestDatabase.URL)
                .user(PgTestDatabase.USER)
                .schema(args[2])
                .poolSize(14)
                .build();
    Path log = Path.of(args[3]);
    try (BufferedWriter out =
        Files.newBufferedWriter(
            log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      if (mode.equals("submit")) {
        submitForever(store, out);
      } else {
        work(store, out);
      }
    }
  }

  private static void submitForever(JdbcJobStore store, BufferedWriter acks) throws IOException {
    CountDownLatch never = new CountDownLatch(1);
    JobEngine engine =
        JobEngine.builder()
            .store(store)
            .nodeId("child-submitter")
            .lease(LEASE)
            .concurrency(4)
            .handler(
                "work",
                ctx -> {
                  never.await(); // holds the job RUNNING until the process is killed
                  return null;
                })
            .start();
    for (int i = 0; ; i++) {
      JobId id =
          engine.submit(JobRequest.of("work", ("job-" + i).getBytes(StandardCharsets.UTF_8)));
      acks.write(id.toString());
      acks.newLine();
      acks.flush(); // in the OS's hands: survives SIGKILL of this process
    }
  }

  private static void work(JdbcJobStore store, BufferedWriter started) throws Exception {
    Object lock = new Object();
    java.util.concurrent.atomic.AtomicInteger starts =
        new java.util.concurrent.atomic.AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);
    JobEngine engine =
        JobEngine.builder()
            .store(store)
            .nodeId("child-worker")
            .lease(LEASE)
            .handler(
                "work",
                ctx -> {
                  synchronized (lock) {
                    started.write(ctx.id().toString());
                    started.newLine();
                    started.flush();
                  }
                  if (starts.incrementAndGet() > WORK_BEFORE_HOLDING) {
                    never.await(); // from now on, hold jobs RUNNING until the process is killed
                  }
                  LockSupport.parkNanos(1_000_000); // a millisecond of work: batches in flight
                  return null;
                })
            .start();
    new CountDownLatch(1).await(1, TimeUnit.HOURS); // until killed
    engine.close();
  }

  /** Starts a child JVM running this class with {@code args}, its output sent to {@code output}. */
  static Process start(Path output, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(NodeProcess.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  /** Kills {@code process} with SIGKILL and waits for it to be gone. */
  static void kill(Process process) throws InterruptedException {
    process.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no close()
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Whether the child writing {@code output} has started its engine. */
  static boolean started(Path output) throws IOException {
    return Files.exists(output)
        && Files.readString(output, StandardCharsets.UTF_8).contains("plimsoll engine started");
  }

  /** Lines of {@code file} that parse as job ids (a line torn by the kill is skipped). */
  static List<JobId> ids(Path file) throws IOException {
    List<JobId> ids = new ArrayList<>();
    if (!Files.exists(file)) {
      return ids;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.length() == 36) {
        ids.add(JobId.parse(line));
      }
    }
    return ids;
  }
}
