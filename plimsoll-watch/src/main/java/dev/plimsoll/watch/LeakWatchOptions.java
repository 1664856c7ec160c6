package dev.plimsoll.watch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every option of {@code plimsoll leakwatch}, validated: a bad value is refused with an {@link
 * IllegalArgumentException} naming the option (as the CLI spells it) and its limit. Build with
 * {@link #builder()}. Exactly one target: {@code --pid}, {@code --match} or a command.
 *
 * @param pid {@code --pid PID}: watch this running process
 * @param match {@code --match NAME}: watch the one process whose command line contains NAME
 * @param command {@code -- CMD ARGS}: start this command, watch it, kill its tree at the end
 * @param interval {@code --interval}: time between samples (10ms..1h, default 1s)
 * @param duration {@code --duration}: how long to watch (>= 2 intervals, <= 30 days, default 60s)
 * @param warmup {@code --warmup}: leading time plotted but left out of the trend (default 0s)
 * @param minSamples {@code --min-samples}: fewer trend samples give INCONCLUSIVE (>= 3, default 10)
 * @param minR2 {@code --min-r2}: R² a LEAK needs (0..1, default 0.8)
 * @param noiseR2 {@code --noise-r2}: below this R² material growth is noise (STABLE); between it
 *     and {@code --min-r2} it is a noisy trend (INCONCLUSIVE) (0..min-r2, default 0.3)
 * @param minRisingShare {@code --min-rising-share}: share of changes that must be rises (0.5..1,
 *     default 0.6)
 * @param minGrowthMbPerHour {@code --min-growth-mb-per-hour}: memory slope a LEAK needs (> 0,
 *     default 5)
 * @param minGrowthPercent {@code --min-growth-percent}: growth over the run as % of the baseline a
 *     LEAK needs, any resource (> 0, default 10)
 * @param minCountGrowth {@code --min-count-growth}: threads/fds/children a LEAK must add over the
 *     run (> 0, default 5)
 * @param spikeMb {@code --spike-mb}: a rise above this many MB within the spike window is a spike
 *     (> 0, default 50)
 * @param spikePercent {@code --spike-percent}: ... or above this % of the window's low (> 0,
 *     default 20)
 * @param spikeWindow {@code --spike-window}: the window spikes are measured in (>= interval,
 *     default 10s)
 * @param json {@code --json FILE}: write the JSON report here (null: none)
 * @param plot {@code --plot FILE.svg}: write the SVG plot here (null: none)
 * @param jvmHistogram {@code --jvm-histogram}: diff {@code jcmd GC.class_histogram} at start and
 *     end
 * @param histogramTop {@code --histogram-top}: classes listed in the diff (1..1000, default 10)
 * @param progress {@code --progress}: AUTO, TERMINAL, LINES or NONE (default AUTO)
 * @param progressEvery {@code --progress-every}: samples per line in LINES mode (>= 1, default 10)
 * @param commandLog {@code --command-log FILE}: the started command's stdout+stderr (null: dropped)
 * @param maxSamples {@code --max-samples}: samples held in memory; when full every other one is
 *     dropped and the rest thinned to match (1,000..10,000,000, default 100,000)
 */
public record LeakWatchOptions(
    Long pid,
    String match,
    List<String> command,
    Duration interval,
    Duration duration,
    Duration warmup,
    int minSamples,
    double minR2,
    double noiseR2,
    double minRisingShare,
    double minGrowthMbPerHour,
    double minGrowthPercent,
    double minCountGrowth,
    double spikeMb,
    double spikePercent,
    Duration spikeWindow,
    Path json,
    Path plot,
    boolean jvmHistogram,
    int histogramTop,
    ProgressMode progress,
    int progressEvery,
    Path commandLog,
    int maxSamples) {

  public LeakWatchOptions {
    command = command == null ? List.of() : List.copyOf(command);
    int targets = (pid != null ? 1 : 0) + (match != null ? 1 : 0) + (command.isEmpty() ? 0 : 1);
    if (targets != 1) {
      throw bad(
          "exactly one target is needed: --pid PID, --match NAME or -- CMD ARGS (got "
              + targets
              + ")");
    }
    if (pid != null && pid <= 0) {
      throw bad("--pid must be > 0, was " + pid);
    }
    if (match != null && match.isBlank()) {
      throw bad("--match must not be blank");
    }
    if (command.stream().anyMatch(a -> a == null)) {
      throw bad("the command must not contain null arguments");
    }
    duration("--interval", interval, Duration.ofMillis(10), Duration.ofHours(1));
    duration("--duration", duration, interval.multipliedBy(2), Duration.ofDays(30));
    duration("--warmup", warmup, Duration.ZERO, duration.minus(interval.multipliedBy(2)));
    duration("--spike-window", spikeWindow, interval, Duration.ofDays(1));
    if (minSamples < 3) {
      throw bad("--min-samples must be >= 3, was " + minSamples);
    }
    range("--min-r2", minR2, 0, 1);
    range("--noise-r2", noiseR2, 0, minR2);
    range("--min-rising-share", minRisingShare, 0.5, 1);
    positive("--min-growth-mb-per-hour", minGrowthMbPerHour);
    positive("--min-growth-percent", minGrowthPercent);
    positive("--min-count-growth", minCountGrowth);
    positive("--spike-mb", spikeMb);
    positive("--spike-percent", spikePercent);
    if (histogramTop < 1 || histogramTop > 1000) {
      throw bad("--histogram-top must be between 1 and 1000, was " + histogramTop);
    }
    if (progress == null) {
      throw bad("--progress must be one of AUTO, TERMINAL, LINES, NONE");
    }
    if (progressEvery < 1) {
      throw bad("--progress-every must be >= 1, was " + progressEvery);
    }
    if (maxSamples < 1_000 || maxSamples > 10_000_000) {
      throw bad("--max-samples must be between 1000 and 10000000, was " + maxSamples);
    }
  }

  private static IllegalArgumentException bad(String message) {
    return new IllegalArgumentException(message);
  }

  private static void duration(String name, Duration value, Duration min, Duration max) {
    if (value == null) {
      throw bad(name + " is required");
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw bad(name + " must be between " + fmt(min) + " and " + fmt(max) + ", was " + fmt(value));
    }
  }

  private static String fmt(Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }

  private static void range(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw bad(name + " must be between " + min + " and " + max + ", was " + value);
    }
  }

  private static void positive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw bad(name + " must be > 0, was " + value);
    }
  }

  /** True when the watch starts the target itself. */
  public boolean startsCommand() {
    return !command.isEmpty();
  }

  /** A builder with every default; set a target with {@link Builder#pid}, match or command. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link LeakWatchOptions}; {@link #build()} validates. */
  public static final class Builder {
    private Long pid;
    private String match;
    private List<String> command = List.of();
    private Duration interval = Duration.ofSeconds(1);
    private Duration duration = Duration.ofSeconds(60);
    private Duration warmup = Duration.ZERO;
    private int minSamples = 10;
    private double minR2 = 0.8;
    private double noiseR2 = 0.3;
    private double minRisingShare = 0.6;
    private double minGrowthMbPerHour = 5;
    private double minGrowthPercent = 10;
    private double minCountGrowth = 5;
    private double spikeMb = 50;
    private double spikePercent = 20;
    private Duration spikeWindow = Duration.ofSeconds(10);
    private Path json;
    private Path plot;
    private boolean jvmHistogram;
    private int histogramTop = 10;
    private ProgressMode progress = ProgressMode.AUTO;
    private int progressEvery = 10;
    private Path commandLog;
    private int maxSamples = 100_000;

    private Builder() {}

    public Builder pid(long pid) {
      this.pid = pid;
      return this;
    }

    public Builder match(String match) {
      this.match = match;
      return this;
    }

    public Builder command(List<String> command) {
      this.command = command;
      return this;
    }

    public Builder command(String... command) {
      return command(List.of(command));
    }

    public Builder interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    public Builder warmup(Duration warmup) {
      this.warmup = warmup;
      return this;
    }

    public Builder minSamples(int minSamples) {
      this.minSamples = minSamples;
      return this;
    }

    public Builder minR2(double minR2) {
      this.minR2 = minR2;
      return this;
    }

    public Builder noiseR2(double noiseR2) {
      this.noiseR2 = noiseR2;
      return this;
    }

    public Builder minRisingShare(double minRisingShare) {
      this.minRisingShare = minRisingShare;
      return this;
    }

    public Builder minGrowthMbPerHour(double minGrowthMbPerHour) {
      this.minGrowthMbPerHour = minGrowthMbPerHour;
      return this;
    }

    public Builder minGrowthPercent(double minGrowthPercent) {
      this.minGrowthPercent = minGrowthPercent;
      return this;
    }

    public Builder minCountGrowth(double minCountGrowth) {
      this.minCountGrowth = minCountGrowth;
      return this;
    }

    public Builder spikeMb(double spikeMb) {
      this.spikeMb = spikeMb;
      return this;
    }

    public Builder spikePercent(double spikePercent) {
      this.spikePercent = spikePercent;
      return this;
    }

    public Builder spikeWindow(Duration spikeWindow) {
      this.spikeWindow = spikeWindow;
      return this;
    }

    public Builder json(Path json) {
      this.json = json;
      return this;
    }

    public Builder plot(Path plot) {
      this.plot = plot;
      return this;
    }

    public Builder jvmHistogram(boolean jvmHistogram) {
      this.jvmHistogram = jvmHistogram;
      return this;
    }

    public Builder histogramTop(int histogramTop) {
      this.histogramTop = histogramTop;
      return this;
    }

    public Builder progress(ProgressMode progress) {
      this.progress = progress;
      return this;
    }

    public Builder progressEvery(int progressEvery) {
      this.progressEvery = progressEvery;
      return this;
    }

    public Builder commandLog(Path commandLog) {
      this.commandLog = commandLog;
      return this;
    }

    public Builder maxSamples(int maxSamples) {
      this.maxSamples = maxSamples;
      return this;
    }

    public LeakWatchOptions build() {
      return new LeakWatchOptions(
          pid,
          match,
          command,
          interval,
          duration,
          warmup,
          minSamples,
          minR2,
          noiseR2,
          minRisingShare,
          minGrowthMbPerHour,
          minGrowthPercent,
          minCountGrowth,
          spikeMb,
          spikePercent,
          spikeWindow,
          json,
          plot,
          jvmHistogram,
          histogramTop,
          progress,
          progressEvery,
          commandLog,
          maxSamples);
    }
  }
}
