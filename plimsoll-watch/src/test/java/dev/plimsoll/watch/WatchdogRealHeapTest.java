package dev.plimsoll.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.watch.children.WatchdogChild;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog for real: a child JVM with a 64 MB heap fills it until its engine sheds, then frees
 * part of it (still shedding between 70 % and 85 %) and all of it (admitting again below 70 %). The
 * child keeps this JVM's heap out of it.
 */
class WatchdogRealHeapTest {
  private Process child;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuilder transcript = new StringBuilder();

  @AfterEach
  void kill() throws Exception {
    if (child != null) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private String next(String prefix) throws InterruptedException {
    while (true) {
      String line = lines.poll(60, TimeUnit.SECONDS);
      assertThat(line)
          .as("a line starting %s; the child said:%n%s", prefix, transcript)
          .isNotNull();
      synchronized (transcript) {
        transcript.append(line).append('\n');
      }
      if (line.startsWith(prefix) || line.startsWith("NOSHED") || line.contains("Exception")) {
        assertThat(line).as("child output:%n%s", transcript).startsWith(prefix);
        return line;
      }
    }
  }

  @Test
  void aChildJvmFillingItsHeapIsShedAtEightyFivePercentUntilBackUnderSeventy() throws Exception {
    List<String> cmd =
        List.of(
            Children.javaBinary(),
            "-Xmx64m",
            "-XX:+UseG1GC",
            "-cp",
            System.getProperty("java.class.path"),
            WatchdogChild.class.getName());
    child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (java.io.IOException ignored) {
                // child gone
              }
            },
            "child-reader");
    reader.setDaemon(true);
    reader.start();
    Writer stdin = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);

    String[] shed = next("SHED").split(" ", 4);
    assertThat(Double.parseDouble(shed[1])).isGreaterThanOrEqualTo(0.85);
    assertThat(shed[2]).isEqualTo("memory_pressure");
    assertThat(shed[3]).contains("heap after GC").contains(">= 85% (shed threshold)");

    stdin.write("partial\n");
    stdin.flush();
    String[] partial = next("PARTIAL").split(" ", 5);
    assertThat(Double.parseDouble(partial[1])).isBetween(0.70, 0.85);
    assertThat(partial[2]).isEqualTo("SHEDDING");
    assertThat(partial[3]).isEqualTo("memory_pressure");
    assertThat(partial[4]).contains("shedding until below 70%");

    stdin.write("free\n");
    stdin.flush();
    String[] freed = next("FREED").split(" ");
    assertThat(Double.parseDouble(freed[1])).isLessThan(0.70);
    assertThat(freed[2]).isIn("NORMAL", "WARNING");
    assertThat(freed[3]).isEqualTo("ADMITTED");

    stdin.write("close\n");
    stdin.flush();
    assertThat(next("CLOSED")).isEqualTo("CLOSED 0");
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }
}
