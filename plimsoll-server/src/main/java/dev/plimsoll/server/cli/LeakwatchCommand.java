package dev.plimsoll.server.cli;

import dev.plimsoll.server.internal.ConfigValues;
import dev.plimsoll.watch.LeakReport;
import dev.plimsoll.watch.LeakWatch;
import dev.plimsoll.watch.LeakWatchException;
import dev.plimsoll.watch.LeakWatchOptions;
import dev.plimsoll.watch.ProgressMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plimsoll leakwatch}: the command line over {@link LeakWatch}. Options left out keep the
 * defaults of {@link LeakWatchOptions}, which also validates every value (the message names the
 * option and its limit); this class only maps flags to the builder.
 */
@Command(
    name = "leakwatch",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Watch a process for leaks: resident memory, threads, open files and child processes.",
      "",
      "  plimsoll leakwatch --pid 4242 --duration 10m",
      "  plimsoll leakwatch --match my-service.jar --jvm-histogram --json leak.json",
      "  plimsoll leakwatch --duration 5m --plot leak.svg -- python3 app.py",
      "",
      "Samples every --interval for --duration, finds spikes and steady growth (least-squares",
      "slope, R², share of rising samples) and ends with a verdict and its evidence.",
      "Exit code: 0 STABLE, 1 LEAK, 2 INCONCLUSIVE or an error. Reading a report: docs/watch.md.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:STABLE", "1:LEAK", "2:INCONCLUSIVE, or the target could not be watched"})
final class LeakwatchCommand implements Callable<Integer> {

  /** Parses durations as the config does: 500ms, 30s, 5m, 1h, 14d or ISO-8601. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return ConfigValues.parseDuration(value)
          .orElseThrow(
              () ->
                  new CommandLine.TypeConversionException(
                      ConfigValues.DURATION_FORM + ", got '" + value + "'"));
    }
  }

  @Option(names = "--pid", paramLabel = "PID", description = "Watch this running process.")
  Long pid;

  @Option(
      names = "--match",
      paramLabel = "NAME",
      description = "Watch the one process whose command line contains NAME.")
  String match;

  @Parameters(
      paramLabel = "CMD",
      description = "After --: start this command, watch it, kill its process tree at the end.")
  List<String> command;

  @Option(
      names = "--interval",
      converter = DurationConverter.class,
      description = "Time between samples, 10ms..1h (default 1s).")
  Duration interval;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "How long to watch (default 60s); a started command that exits ends it.")
  Duration duration;

  @Option(
      names = "--warmup",
      converter = DurationConverter.class,
      description = "Leading time plotted but left out of trend and spikes (default 0s).")
  Duration warmup;

  @Option(
      names = "--min-samples",
      description = "Fewer trend samples give INCONCLUSIVE, >= 3 (default 10).")
  Integer minSamples;

  @Option(names = "--min-r2", description = "R² a LEAK needs, 0..1 (default 0.8).")
  Double minR2;

  @Option(
      names = "--noise-r2",
      description = "Below this R² growth is noise (STABLE), 0..min-r2 (default 0.3).")
  Double noiseR2;

  @Option(
      names = "--min-rising-share",
      description = "Share of changes that must be rises, 0.5..1 (default 0.6).")
  Double minRisingShare;

  @Option(
      names = "--min-growth-mb-per-hour",
      description = "Memory slope a LEAK needs (default 5).")
  Double minGrowthMbPerHour;

  @Option(
      names = "--min-growth-percent",
      description = "Growth over the run, % of the baseline, a LEAK needs (default 10).")
  Double minGrowthPercent;

  @Option(
      names = "--min-count-growth",
      description = "Threads, files or children a LEAK must add over the run (default 5).")
  Double minCountGrowth;

  @Option(
      names = "--spike-mb",
      description = "A rise above this within the window is a spike (50).")
  Double spikeMb;

  @Option(names = "--spike-percent", description = "... or above this % of the window's low (20).")
  Double spikePercent;

  @Option(
      names = "--spike-window",
      converter = DurationConverter.class,
      description = "Window spikes are measured in (default 10s).")
  Duration spikeWindow;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the JSON report here.")
  Path json;

  @Option(names = "--plot", paramLabel = "FILE.svg", description = "Write an SVG plot here.")
  Path plot;

  @Option(
      names = "--jvm-histogram",
      description = "For a JVM target: diff class histograms (jcmd) at start and end.")
  boolean jvmHistogram;

  @Option(names = "--histogram-top", description = "Classes listed in the diff (default 10).")
  Integer histogramTop;

  @Option(
      names = "--progress",
      description = "AUTO, TERMINAL, LINES or NONE (default AUTO: one live line on a terminal).")
  ProgressMode progress;

  @Option(names = "--progress-every", description = "Samples per line in LINES mode (10).")
  Integer progressEvery;

  @Option(
      names = "--command-log",
      paramLabel = "FILE",
      description = "Where a started command's output goes (default: dropped).")
  Path commandLog;

  @Option(names = "--max-samples", description = "Samples held in memory (default 100000).")
  Integer maxSamples;

  @Override
  public Integer call() {
    LeakWatchOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      System.err.println("plimsoll leakwatch: " + e.getMessage());
      return 2;
    }
    try {
      LeakReport report = LeakWatch.run(options, System.err);
      return report.exitCode();
    } catch (LeakWatchException e) {
      System.err.println("plimsoll leakwatch: " + e.getMessage());
      return 2;
    }
  }

  LeakWatchOptions options() {
    LeakWatchOptions.Builder b = LeakWatchOptions.builder();
    set(pid, b::pid);
    set(match, b::match);
    set(command, b::command);
    set(interval, b::interval);
    set(duration, b::duration);
    set(warmup, b::warmup);
    set(minSamples, b::minSamples);
    set(minR2, b::minR2);
    set(noiseR2, b::noiseR2);
    set(minRisingShare, b::minRisingShare);
    set(minGrowthMbPerHour, b::minGrowthMbPerHour);
    set(minGrowthPercent, b::minGrowthPercent);
    set(minCountGrowth, b::minCountGrowth);
    set(spikeMb, b::spikeMb);
    set(spikePercent, b::spikePercent);
    set(spikeWindow, b::spikeWindow);
    set(json, b::json);
    set(plot, b::plot);
    b.jvmHistogram(jvmHistogram);
    set(histogramTop, b::histogramTop);
    set(progress, b::progress);
    set(progressEvery, b::progressEvery);
    set(commandLog, b::commandLog);
    set(maxSamples, b::maxSamples);
    return b.build();
  }

  private static <T> void set(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
