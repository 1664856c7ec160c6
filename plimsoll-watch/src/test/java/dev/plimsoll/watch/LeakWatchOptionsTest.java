package dev.plimsoll.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeakWatchOptionsTest {
  private static LeakWatchOptions.Builder pid() {
    return LeakWatchOptions.builder().pid(42);
  }

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    LeakWatchOptions o = pid().build();
    assertThat(o.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.warmup()).isZero();
    assertThat(o.minSamples()).isEqualTo(10);
    assertThat(o.minR2()).isEqualTo(0.8);
    assertThat(o.noiseR2()).isEqualTo(0.3);
    assertThat(o.minRisingShare()).isEqualTo(0.6);
    assertThat(o.minGrowthMbPerHour()).isEqualTo(5);
    assertThat(o.minGrowthPercent()).isEqualTo(10);
    assertThat(o.minCountGrowth()).isEqualTo(5);
    assertThat(o.spikeMb()).isEqualTo(50);
    assertThat(o.spikePercent()).isEqualTo(20);
    assertThat(o.spikeWindow()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.histogramTop()).isEqualTo(10);
    assertThat(o.progress()).isEqualTo(ProgressMode.AUTO);
    assertThat(o.maxSamples()).isEqualTo(100_000);
    assertThat(o.startsCommand()).isFalse();
  }

  @Test
  void exactlyOneTargetIsNeeded() {
    assertThatThrownBy(() -> LeakWatchOptions.builder().build())
        .hasMessage("exactly one target is needed: --pid PID, --match NAME or -- CMD ARGS (got 0)");
    assertThatThrownBy(() -> pid().match("x").build()).hasMessageEndingWith("(got 2)");
    assertThatThrownBy(() -> pid().command("sleep", "1").build()).hasMessageEndingWith("(got 2)");
    assertThat(LeakWatchOptions.builder().command("sleep", "1").build().startsCommand()).isTrue();
  }

  @Test
  void eachBadOptionIsRefusedNamingItAndItsLimit() {
    assertThatThrownBy(() -> LeakWatchOptions.builder().pid(0).build())
        .hasMessage("--pid must be > 0, was 0");
    assertThatThrownBy(() -> LeakWatchOptions.builder().match(" ").build())
        .hasMessage("--match must not be blank");
    assertThatThrownBy(() -> pid().interval(Duration.ofMillis(5)).build())
        .hasMessage("--interval must be between 0.01s and 1h, was 0.005s");
    assertThatThrownBy(() -> pid().duration(Duration.ofSeconds(1)).build())
        .hasMessage("--duration must be between 2s and 720h, was 1s");
    assertThatThrownBy(() -> pid().warmup(Duration.ofSeconds(59)).build())
        .hasMessage("--warmup must be between 0s and 58s, was 59s");
    assertThatThrownBy(() -> pid().spikeWindow(Duration.ofMillis(500)).build())
        .hasMessage("--spike-window must be between 1s and 24h, was 0.5s");
    assertThatThrownBy(() -> pid().minSamples(2).build())
        .hasMessage("--min-samples must be >= 3, was 2");
    assertThatThrownBy(() -> pid().minR2(1.1).build())
        .hasMessage("--min-r2 must be between 0.0 and 1.0, was 1.1");
    assertThatThrownBy(() -> pid().noiseR2(0.9).build())
        .hasMessage("--noise-r2 must be between 0.0 and 0.8, was 0.9");
    assertThatThrownBy(() -> pid().minRisingShare(0.4).build())
        .hasMessage("--min-rising-share must be between 0.5 and 1.0, was 0.4");
    assertThatThrownBy(() -> pid().minGrowthMbPerHour(0).build())
        .hasMessage("--min-growth-mb-per-hour must be > 0, was 0.0");
    assertThatThrownBy(() -> pid().minGrowthPercent(-1).build())
        .hasMessage("--min-growth-percent must be > 0, was -1.0");
    assertThatThrownBy(() -> pid().minCountGrowth(Double.NaN).build())
        .hasMessage("--min-count-growth must be > 0, was NaN");
    assertThatThrownBy(() -> pid().spikeMb(0).build())
        .hasMessage("--spike-mb must be > 0, was 0.0");
    assertThatThrownBy(() -> pid().spikePercent(0).build())
        .hasMessage("--spike-percent must be > 0, was 0.0");
    assertThatThrownBy(() -> pid().histogramTop(0).build())
        .hasMessage("--histogram-top must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> pid().progress(null).build())
        .hasMessage("--progress must be one of AUTO, TERMINAL, LINES, NONE");
    assertThatThrownBy(() -> pid().progressEvery(0).build())
        .hasMessage("--progress-every must be >= 1, was 0");
    assertThatThrownBy(() -> pid().maxSamples(10).build())
        .hasMessage("--max-samples must be between 1000 and 10000000, was 10");
    assertThatThrownBy(() -> pid().interval(null).build()).hasMessage("--interval is required");
  }
}
