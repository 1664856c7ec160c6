package dev.plimsoll.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.JobOutcome;
import dev.plimsoll.JobState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's library example compiles, runs, and is the code in ReadmeExample.java. */
class ReadmeExampleTest {

  @Test
  void theExampleRuns() throws Exception {
    JobOutcome outcome = ReadmeExample.run();
    assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(new String(outcome.result(), StandardCharsets.UTF_8))
        .isEqualTo("sent to ada@example.com");
  }

  @Test
  void theReadmeShowsExactlyTheCompiledExample() throws Exception {
    String source =
        Files.readString(
            Path.of("src/test/java/dev/plimsoll/examples/ReadmeExample.java"),
            StandardCharsets.UTF_8);
    String code = between(source, "// README:start\n", "    // README:end");
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    String shown =
        between(readme, "<!-- example:start -->\n```java\n", "```\n<!-- example:end -->");
    assertThat(normalize(shown)).isEqualTo(normalize(code));
  }

  private static String between(String text, String start, String end) {
    int i = text.indexOf(start);
    int j = text.indexOf(end, i + start.length());
    assertThat(i).as("marker " + start.strip()).isNotNegative();
    assertThat(j).as("marker " + end.strip()).isNotNegative();
    return text.substring(i + start.length(), j);
  }

  /** Same lines, indentation removed (the README shows the block unindented). */
  private static String normalize(String code) {
    return code.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n"));
  }
}
