package dev.plimsoll.watch;

import dev.plimsoll.watch.internal.ClassHistograms;
import dev.plimsoll.watch.internal.ProcessProbe;
import dev.plimsoll.watch.internal.ProgressPrinter;
import dev.plimsoll.watch.internal.SampleSeries;
import dev.plimsoll.watch.internal.SpikeDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.software.os.OSProcess;

/**
 * {@code plimsoll leakwatch}: watches one process (by pid, by command-line match, or one it starts)
 * for a duration, sampling resident memory, threads, open files and descendants at an interval, and
 * judges the series with {@link LeakAnalysis}.
 *
 * <pre>{@code
 * LeakReport report = LeakWatch.run(LeakWatchOptions.builder()
 *     .command("python3", "app.py").duration(Duration.ofMinutes(5)).json(Path.of("leak.json"))
 *     .build(), System.err);
 * System.exit(report.exitCode());   // 0 stable, 1 leak, 2 inconclusive
 * }</pre>
 *
 * <p>The watch runs on the calling thread, which waits on the target's exit between samples, so a
 * target that exits ends the watch at once (with the samples so far). A started command's whole
 * process tree is killed when the watch ends, when the calling thread is interrupted, and by a JVM
 * shutdown hook if the JVM exits first (Ctrl-C). Memory is bounded by {@link
 * LeakWatchOptions#maxSamples()}.
 */
public final class LeakWatch {
  private static final Logger LOG = LoggerFactory.getLogger(LeakWatch.class);

  private LeakWatch() {}

  /**
   * Runs a watch and returns its report (and writes {@code --json}/{@code --plot} when set).
   * Progress and the final summary go to {@code progress} (null: silent).
   *
   * @throws LeakWatchException when the target cannot be found or started or a report file cannot
   *     be written; the CLI prints the message and exits 2
   */
  public static LeakReport run(LeakWatchOptions options, PrintStream progress) {
    return run(options, progress, Clock.systemUTC());
  }

  /** As {@link #run(LeakWatchOptions, PrintStream)}, stamping the report with {@code clock}. */
  public static LeakReport run(LeakWatchOptions options, PrintStream progress, Clock clock) {
    Objects.requireNonNull(options, "options");
    ProcessProbe probe = new ProcessProbe();
    Process started = null;
    ProcessHandle handle;
    Thread killer = null;
    if (options.startsCommand()) {
      started = start(options);
      handle = started.toHandle();
      ProcessHandle tree = handle;
      killer = new Thread(() -> killTree(tree), "plimsoll-leakwatch-kill");
      Runtime.getRuntime().addShutdownHook(killer);
    } else if (options.pid() != null) {
      handle =
          ProcessHandle.of(options.pid())
              .filter(ProcessHandle::isAlive)
              .orElseThrow(
                  () -> new LeakWatchException("--pid " + options.pid() + ": no such process"));
    } else {
      handle =
          ProcessHandle.of(resolveMatch(probe, options.match()))
              .orElseThrow(
                  () ->
                      new LeakWatchException(
                          "--match " + options.match() + ": the process has exited"));
    }
    try {
      return watch(options, progress, clock, probe, handle, started);
    } finally {
      if (started != null) {
        killTree(handle);
        try {
          Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs anyway
        }
      }
    }
  }

  private static LeakReport watch(
      LeakWatchOptions o,
      PrintStream progress,
      Clock clock,
      ProcessProbe probe,
      ProcessHandle handle,
      Process started) {
    long pid = handle.pid();
    String target = handle.info().commandLine().orElse(String.join(" ", o.command()));
    Instant startedAt = clock.instant();
    long intervalMs = o.interval().toMillis();
    long durationMs = o.duration().toMillis();
    SampleSeries series = new SampleSeries(o.maxSamples());
    SpikeDetector spikes =
        new SpikeDetector(
            o.spikeWindow().toMillis(),
            o.spikeMb() * 1024 * 1024,
            o.spikePercent(),
            (int) Math.min(100_000, o.spikeWindow().toMillis() / intervalMs + 2),
            100);
    ProgressPrinter printer =
        new ProgressPrinter(progress, o.progress(), o.progressEvery(), durationMs);
    CompletableFuture<ProcessHandle> exit = handle.onExit();
    long histogramAtMs =
        o.startsCommand() ? Math.max(1_000, o.warmup().toMillis()) : o.warmup().toMillis();
    Map<String, long[]> histogramBefore = null;
    String histogramError = null;
    String endReason = "duration reached";
    ProcessSample first = null;
    long t0 = System.nanoTime();
    long next = 0;
    boolean interrupted = false;
    while (true) {
      long now = elapsedMs(t0);
      ProcessSample s = probe.sample(pid, now);
      if (s == null) {
        endReason = exitReason(started, now);
        break;
      }
      if (first == null) {
        first = s;
      }
      series.add(s);
      if (now >= o.warmup().toMillis()) {
        spikes.add(s.atMillis(), s.residentBytes());
      }
      printer.sample(pid, first, s, spikes.count());
      if (o.jvmHistogram()
          && histogramBefore == null
          && histogramError == null
          && now >= histogramAtMs) {
        try {
          histogramBefore = ClassHistograms.take(pid);
        } catch (IOException e) {
          histogramError = e.getMessage();
        } catch (InterruptedException e) {
          interrupted = true;
          endReason = "interrupted";
          break;
        }
      }
      next += intervalMs;
      if (next > durationMs) {
        break;
      }
      long wait = next - elapsedMs(t0);
      if (wait > 0) {
        try {
          exit.get(wait, TimeUnit.MILLISECONDS);
          endReason = exitReason(started, elapsedMs(t0));
          break;
        } catch (TimeoutException expected) {
          // time for the next sample
        } catch (InterruptedException e) {
          interrupted = true;
          endReason = "interrupted";
          break;
        } catch (ExecutionException e) {
          throw new IllegalStateException(e);
        }
      } else if (!handle.isAlive()) {
        endReason = exitReason(started, elapsedMs(t0));
        break;
      }
    }
    long watched = elapsedMs(t0);
    List<ClassGrowth> growth = List.of();
    if (o.jvmHistogram() && histogramError == null) {
      if (histogramBefore == null) {
        histogramError = "the watch ended before the first histogram was due";
      } else if (!handle.isAlive()) {
        histogramError = "the target exited before the end histogram";
      } else {
        try {
          growth =
              ClassHistograms.diff(histogramBefore, ClassHistograms.take(pid), o.histogramTop());
        } catch (IOException e) {
          histogramError = e.getMessage();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    List<ProcessSample> all = series.samples();
    LeakAnalysis analysis = LeakAnalysis.of(all, o);
    if (first == null) {
      analysis =
          new LeakAnalysis(
              List.of(),
              Verdict.INCONCLUSIVE,
              List.of(
                  "no sample could be taken: " + endReason,
                  "at least " + o.minSamples() + " (--min-samples) are needed for a verdict"));
    }
    Integer exitCode =
        started != null && !started.isAlive() && !interrupted ? started.exitValue() : null;
    LeakReport report =
        new LeakReport(
            o,
            pid,
            target,
            startedAt,
            watched,
            endReason,
            exitCode,
            series.offered(),
            SampleSeries.downsample(all, LeakReport.MAX_REPORTED_SAMPLES),
            analysis,
            spikes.spikes(),
            spikes.count(),
            growth,
            histogramError);
    printer.finish();
    if (progress != null) {
      report.summary().forEach(progress::println);
    }
    try {
      if (o.json() != null) {
        report.writeJson(o.json());
      }
      if (o.plot() != null) {
        SvgPlot.write(report, o.plot());
      }
    } catch (IOException e) {
      throw new LeakWatchException("cannot write the report: " + e.getMessage(), e);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return report;
  }

  private static String exitReason(Process started, long atMs) {
    String when = String.format(java.util.Locale.ROOT, "%.1f s", atMs / 1000.0);
    if (started != null) {
      try {
        started.waitFor(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return started.isAlive()
          ? "the command ended after " + when
          : "the command exited with code " + started.exitValue() + " after " + when;
    }
    return "the target exited after " + when;
  }

  private static long elapsedMs(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  private static Process start(LeakWatchOptions o) {
    ProcessBuilder pb = new ProcessBuilder(o.command()).redirectInput(Redirect.from(nullFile()));
    if (o.commandLog() != null) {
      pb.redirectErrorStream(true).redirectOutput(Redirect.appendTo(o.commandLog().toFile()));
    } else {
      pb.redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD);
    }
    try {
      return pb.start();
    } catch (IOException e) {
      throw new LeakWatchException(
          "cannot start the command " + o.command() + ": " + e.getMessage(), e);
    }
  }

  private static java.io.File nullFile() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /**
   * The one process whose command line contains {@code text}, excluding this JVM and its ancestors.
   */
  static long resolveMatch(ProcessProbe probe, String text) {
    Set<Long> ours =
        ProcessHandle.current().parent().stream()
            .flatMap(
                p ->
                    java.util.stream.Stream.iterate(p, h -> h.parent().orElse(null))
                        .takeWhile(Objects::nonNull))
            .map(ProcessHandle::pid)
            .collect(Collectors.toSet());
    List<OSProcess> found =
        probe.matching(text).stream().filter(p -> !ours.contains((long) p.getProcessID())).toList();
    if (found.isEmpty()) {
      throw new LeakWatchException("--match " + text + ": no process's command line contains it");
    }
    if (found.size() > 1) {
      String names =
          found.stream()
              .limit(10)
              .map(p -> p.getProcessID() + " (" + abbreviate(p.getCommandLine()) + ")")
              .collect(Collectors.joining(", "));
      throw new LeakWatchException(
          "--match "
              + text
              + ": "
              + found.size()
              + " processes match, pick one with --pid: "
              + names);
    }
    return found.get(0).getProcessID();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  static void killTree(ProcessHandle root) {
    root.descendants().forEach(ProcessHandle::destroyForcibly);
    root.destroyForcibly();
    try {
      root.onExit().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("leakwatch: pid {} did not exit within 10 s of being killed", root.pid());
    }
  }
}
