package dev.plimsoll.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.server.Cli;
import dev.plimsoll.server.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * {@code plimsoll leakwatch} on the command line: flags reach the watch, its verdict becomes the
 * exit code, and bad input exits 2 naming the option. The detector itself is validated in
 * plimsoll-watch; these run it for real on short-lived children.
 */
@Isolated
class LeakwatchCommandTest {
  @TempDir Path dir;

  @Test
  void helpNamesTheTargetsTheOptionsAndTheExitCodes() {
    Run help = Cli.run("leakwatch", "--help");

    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .contains("--pid", "--match", "CMD", "--interval", "--duration", "--json", "--plot")
        .contains("--jvm-histogram", "0   STABLE", "1   LEAK", "2   INCONCLUSIVE");
    assertThat(Cli.run("--help").out()).contains("leakwatch");
  }

  @Test
  void aStartedCommandThatHoldsStillIsStableExitsZeroAndWritesItsReports() throws Exception {
    Path json = dir.resolve("report.json");
    Path svg = dir.resolve("plot.svg");

    Run r =
        Cli.run(
            "leakwatch",
            "--interval",
            "100ms",
            "--duration",
            "2s",
            "--min-samples",
            "5",
            "--progress",
            "NONE",
            "--json",
            json.toString(),
            "--plot",
            svg.toString(),
            "--",
            "sleep",
            "30");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("STABLE");
    assertThat(Files.readString(json)).contains("\"verdict\"", "STABLE");
    assertThat(Files.readString(svg)).startsWith("<?xml").contains("<svg", "polyline");
  }

  @Test
  void aCommandThatKeepsAllocatingIsALeakAndExitsOne() {
    String leak =
        "import time\n"
            + "held = []\n"
            + "while True:\n"
            + "    held.append(bytearray(4000000))\n"
            + "    time.sleep(0.05)\n";

    Run r =
        Cli.run(
            "leakwatch",
            "--interval",
            "100ms",
            "--duration",
            "3s",
            "--min-samples",
            "5",
            "--progress",
            "NONE",
            "--",
            "python3",
            "-c",
            leak);

    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("LEAK");
  }

  @Test
  void badInputExitsTwoAndNamesTheOption() {
    Run tooFast = Cli.run("leakwatch", "--interval", "1ms", "--", "sleep", "1");
    assertThat(tooFast.exit()).isEqualTo(2);
    assertThat(tooFast.err()).contains("--interval");

    Run notADuration = Cli.run("leakwatch", "--duration", "soon", "--pid", "1");
    assertThat(notADuration.exit()).isEqualTo(2);
    assertThat(notADuration.err()).contains("--duration", "500ms");

    Run noTarget = Cli.run("leakwatch", "--duration", "2s");
    assertThat(noTarget.exit()).isEqualTo(2);
    assertThat(noTarget.err()).contains("--pid");

    Run gone = Cli.run("leakwatch", "--pid", "2147483646", "--duration", "2s");
    assertThat(gone.exit()).isEqualTo(2);
    assertThat(gone.err()).contains("--pid 2147483646");
  }
}
