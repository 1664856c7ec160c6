package dev.plimsoll.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {
  private static BoundedLineReader reader(String text, int max) {
    return new BoundedLineReader(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
  }

  @Test
  void linesAreSplitOnNewlinesAcrossReadBuffers() throws Exception {
    String big = "x".repeat(20_000);
    BoundedLineReader r = reader("a\r\n" + big + "\n\nlast", 30_000);
    assertThat(r.readLine()).isEqualTo("a");
    assertThat(r.readLine()).isEqualTo(big);
    assertThat(r.readLine()).isEmpty();
    assertThat(r.readLine()).isEqualTo("last");
    assertThat(r.readLine()).isNull();
  }

  @Test
  void aLineOverTheLimitIsReportedInsteadOfHeld() throws Exception {
    BoundedLineReader r = reader("y".repeat(100) + "\n", 50);
    assertThat(r.readLine()).isSameAs(BoundedLineReader.TOO_LONG);
  }
}
