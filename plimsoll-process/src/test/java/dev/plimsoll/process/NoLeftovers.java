package dev.plimsoll.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After every test: no descendant of the test JVM is left (not even a zombie child), and no
 * plimsoll-process thread is left running. Pids a test recorded with {@link #watch} (grandchildren
 * that re-parented away from the JVM) must be gone too.
 */
public final class NoLeftovers implements AfterEachCallback {
  private static final List<Long> WATCHED = new ArrayList<>();

  /** Also require these pids (read from files a test's script wrote) to be gone afterwards. */
  static synchronized void watch(long pid) {
    WATCHED.add(pid);
  }

  static List<Long> pidsIn(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(Long::parseLong)
        .collect(Collectors.toList());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    await("no descendant of the test JVM")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        ProcessHandle.current()
                            .descendants()
                            .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                            .collect(Collectors.toList()))
                    .isEmpty());
    List<Long> watched;
    synchronized (NoLeftovers.class) {
      watched = new ArrayList<>(WATCHED);
      WATCHED.clear();
    }
    await("recorded grandchildren gone")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(watched.stream().filter(NoLeftovers::running).toList()).isEmpty());
    await("no pool thread")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        Thread.getAllStackTraces().keySet().stream()
                            .map(Thread::getName)
                            .filter(
                                n ->
                                    n.startsWith("plimsoll-process-")
                                        || n.startsWith("plimsoll-workers-"))
                            .toList())
                    .isEmpty());
  }

  /** Alive and not a zombie (a zombie re-parented to init is init's to reap, and holds nothing). */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }
}
