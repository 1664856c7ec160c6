package dev.plimsoll.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.watch.children.LeakChild;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * leakwatch against real leaking and stable child processes (Java and Python): 100 ms samples for 3
 * to 4 s, with leaks fast enough to be unmistakable in that time.
 */
class LeakWatchProcessTest {
  private static final List<String> SMALL_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xss256k");

  /** A committed, pre-touched heap: resident memory of the JVM itself stays flat. */
  private static final List<String> FLAT_JVM =
      List.of("-Xms48m", "-Xmx48m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC");

  @TempDir Path dir;
  private final List<Process> ours = new ArrayList<>();

  @AfterEach
  void killOurs() throws Exception {
    for (Process p : ours) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static LeakWatchOptions.Builder quick() {
    return LeakWatchOptions.builder()
        .interval(Duration.ofMillis(100))
        .duration(Duration.ofSeconds(4))
        .warmup(Duration.ofMillis(500))
        .progress(ProgressMode.NONE);
  }

  /** Starts a stable child and returns once it says it is warm (see {@link Children#startWarm}). */
  private Process startWarm(List<String> cmd) throws Exception {
    Process p = Children.startWarm(cmd);
    ours.add(p);
    return p;
  }

  private static LeakWatchOptions stable(Process warm) {
    return quick().duration(Duration.ofSeconds(3)).warmup(Duration.ZERO).pid(warm.pid()).build();
  }

  private Process start(List<String> cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(Redirect.DISCARD)
            .redirectError(Redirect.DISCARD)
            .start();
    ours.add(p);
    return p;
  }

  @Test
  void aJavaChildRetainingTwentyMegabytesASecondLeaksResidentMemory() throws Exception {
    Path json = dir.resolve("java-alloc.json");
    Path plot = dir.resolve("java-alloc.svg");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LeakReport r =
        LeakWatch.run(
            quick()
                .command(Children.java(SMALL_JVM, "alloc", 20))
                .json(json)
                .plot(plot)
                .progress(ProgressMode.LINES)
                .progressEvery(10)
                .build(),
            new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(r.verdict()).as(String.join("\n", r.summary())).isEqualTo(Verdict.LEAK);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.leaking())
        .contains(Measure.RESIDENT_MEMORY)
        .doesNotContain(Measure.THREADS, Measure.OPEN_FILES);
    ResourceFinding rss = r.finding(Measure.RESIDENT_MEMORY);
    // 20 MB/s set; on a busy machine the JVM's start eats into the 4 s, so ask for 1 MB/s.
    assertThat(rss.trend().slopePerHour() / Series.MB).isGreaterThan(3600);
    assertThat(rss.evidence()).startsWith("resident memory grew");
    assertThat(r.endReason()).isEqualTo("duration reached");
    // The started command is killed when the watch ends.
    assertThat(ProcessHandle.of(r.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(Files.readString(json)).contains("\"verdict\" : \"LEAK\"");
    assertThat(Files.readString(plot)).startsWith("<?xml").contains("<polyline");
    String progress = out.toString(StandardCharsets.UTF_8);
    assertThat(progress.lines().filter(l -> l.startsWith("leakwatch pid")).count())
        .isBetween(3L, 5L);
    assertThat(progress).doesNotContain("\r").contains("leakwatch: LEAK (exit 1)");
  }

  @Test
  void aPythonChildRetainingFiveMegabytesASecondLeaksResidentMemory() {
    LeakReport r = LeakWatch.run(quick().command(Children.python("alloc", 5)).build(), null);
    assertThat(r.verdict()).as(String.join("\n", r.summary())).isEqualTo(Verdict.LEAK);
    assertThat(r.leaking()).containsExactly(Measure.RESIDENT_MEMORY);
  }

  @Test
  void aJavaChildStartingTenThreadsASecondLeaksThreadsFoundByMatch() throws Exception {
    String marker = "leakwatch-match-" + UUID.randomUUID();
    Process child = start(Children.java(SMALL_JVM, "threads", 10, marker));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LeakReport r =
        LeakWatch.run(
            quick().match(marker).progress(ProgressMode.TERMINAL).build(),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(r.pid()).isEqualTo(child.pid());
    assertThat(r.verdict()).as(String.join("\n", r.summary())).isEqualTo(Verdict.LEAK);
    assertThat(r.leaking()).contains(Measure.THREADS);
    assertThat(r.finding(Measure.THREADS).growth()).isGreaterThan(20);
    // One line rewritten in place, then the summary.
    String progress = out.toString(StandardCharsets.UTF_8);
    assertThat(progress.chars().filter(c -> c == '\r').count()).isGreaterThan(30);
    assertThat(progress.split("\n")).filteredOn(l -> l.contains("leakwatch pid")).hasSize(1);
    // A process watched by match is not ours to kill.
    assertThat(child.isAlive()).isTrue();
  }

  @Test
  void aPythonChildOpeningTenFilesASecondLeaksFileDescriptorsWatchedByPid() throws Exception {
    Process child = start(Children.python("fds", 10));
    LeakReport r = LeakWatch.run(quick().pid(child.pid()).build(), null);
    assertThat(r.verdict()).as(String.join("\n", r.summary())).isEqualTo(Verdict.LEAK);
    assertThat(r.leaking()).containsExactly(Measure.OPEN_FILES);
    assertThat(r.finding(Measure.OPEN_FILES).evidence()).startsWith("open file descriptors grew");
    assertThat(child.isAlive()).isTrue();
  }

  @RepeatedTest(3)
  void aPythonChildAllocatingAndFreeingBoundedBurstsIsStable() throws Exception {
    LeakReport r = LeakWatch.run(stable(startWarm(Children.python("flat", 8))), null);
    assertThat(r.verdict()).as(String.join("\n", r.summary())).isEqualTo(Verdict.STABLE);
    assertThat(r.exitCode()).isZero();
    assertThat(r.leaking()).isEmpty();
  }

  @Test
  void aJavaChildAllocatingAndFreeingBoundedBurstsIsStable() throws Exception {
    LeakReport r = LeakWatch.run(stable(startWarm(Children.java(FLAT_JVM, "flat", 16))), null);
    assertThat(r.verdict()).as(String.join("\n", r.summary())).isEqualTo(Verdict.STABLE);
  }

  @Test
  void theClassHistogramOfAJavaChildNamesTheClassItAccumulates() {
    LeakReport r =
        LeakWatch.run(
            quick()
                .jvmHistogram(true)
                .histogramTop(5)
                .command(Children.java(SMALL_JVM, "records", 50))
                .build(),
            null);
    assertThat(r.histogramError()).isNull();
    assertThat(r.classGrowth()).isNotEmpty();
    ClassGrowth top = r.classGrowth().get(0);
    assertThat(top.className()).isEqualTo(LeakChild.LeakyRecord.class.getName());
    assertThat(top.instancesGrown()).isGreaterThan(10_000);
    assertThat(top.bytesGrown()).isGreaterThan(top.instancesGrown() * 16);
    assertThat(r.summary())
        .anySatisfy(
            l ->
                assertThat(l).contains("class " + LeakChild.LeakyRecord.class.getName() + " grew"));
  }

  @Test
  void aCommandThatExitsAtOnceEndsTheWatchInconclusiveWithExitTwoAndItsExitCode() {
    LeakReport r = LeakWatch.run(quick().command("/bin/sh", "-c", "exit 3").build(), null);
    assertThat(r.verdict()).as(String.join("\n", r.summary())).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.targetExitCode()).isEqualTo(3);
    assertThat(r.endReason()).startsWith("the command exited with code 3 after");
    assertThat(r.watchedMillis()).isLessThan(4_000);
    assertThat(r.analysis().reasons()).anySatisfy(l -> assertThat(l).contains("--min-samples"));
  }

  @Test
  void interruptingTheWatchEndsItWithTheSamplesSoFarAndKillsTheStartedTree() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream progress = new PrintStream(out, true, StandardCharsets.UTF_8);
    java.util.concurrent.atomic.AtomicReference<LeakReport> report =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread watcher =
        new Thread(
            () ->
                report.set(
                    LeakWatch.run(
                        quick()
                            .duration(Duration.ofMinutes(10))
                            .progress(ProgressMode.LINES)
                            .progressEvery(1)
                            .command(Children.java(SMALL_JVM, "threads", 0))
                            .build(),
                        progress)));
    watcher.start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> out.toString(StandardCharsets.UTF_8).lines().count() >= 5);
    watcher.interrupt();
    watcher.join(30_000);
    assertThat(watcher.isAlive()).isFalse();
    LeakReport r = report.get();
    assertThat(r.endReason()).isEqualTo("interrupted");
    assertThat(r.samplesTaken()).isGreaterThanOrEqualTo(5);
    assertThat(r.watchedMillis()).isLessThan(Duration.ofMinutes(5).toMillis());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !ProcessHandle.of(r.pid()).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void aPidThatDoesNotExistIsAnErrorNamingIt() {
    long pid = ProcessHandle.current().pid() + 4_000_000;
    assertThatThrownBy(() -> LeakWatch.run(quick().pid(pid).build(), null))
        .isInstanceOf(LeakWatchException.class)
        .hasMessage("--pid " + pid + ": no such process")
        .satisfies(e -> assertThat(((LeakWatchException) e).exitCode()).isEqualTo(2));
  }

  @Test
  void aMatchOfNoneOrSeveralProcessesIsAnErrorNamingThem() throws Exception {
    String marker = "leakwatch-twice-" + UUID.randomUUID();
    assertThatThrownBy(() -> LeakWatch.run(quick().match(marker).build(), null))
        .isInstanceOf(LeakWatchException.class)
        .hasMessage("--match " + marker + ": no process's command line contains it");
    Process a = start(Children.java(SMALL_JVM, "threads", 0, marker));
    Process b = start(Children.java(SMALL_JVM, "threads", 0, marker));
    assertThatThrownBy(() -> LeakWatch.run(quick().match(marker).build(), null))
        .isInstanceOf(LeakWatchException.class)
        .hasMessageContaining("--match " + marker + ": 2 processes match, pick one with --pid: ")
        .hasMessageContaining(a.pid() + " (")
        .hasMessageContaining(b.pid() + " (");
  }

  @Test
  void aCommandThatCannotStartIsAnErrorNamingIt() {
    assertThatThrownBy(() -> LeakWatch.run(quick().command("/no/such/program-xyz").build(), null))
        .isInstanceOf(LeakWatchException.class)
        .hasMessageStartingWith("cannot start the command [/no/such/program-xyz]");
  }
}
