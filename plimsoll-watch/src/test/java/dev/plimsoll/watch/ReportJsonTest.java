package dev.plimsoll.watch;

import static dev.plimsoll.watch.Series.MB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJsonTest {
  @TempDir Path dir;

  @Test
  void theJsonReportHoldsTheVerdictEvidenceSpikesHistogramOptionsAndSamples() throws Exception {
    List<ProcessSample> samples = Series.rss(61, i -> 100 * MB + i * MB / 3);
    LeakReport report = Reports.of(samples, LeakWatchOptions.builder().pid(4242).build());
    Path file = dir.resolve("report.json");
    report.writeJson(file);

    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.get("verdict").asText()).isEqualTo("LEAK");
    assertThat(json.get("exitCode").asInt()).isEqualTo(1);
    assertThat(json.get("reasons").get(0).asText()).startsWith("LEAK: resident memory grew");
    assertThat(json.at("/target/pid").asLong()).isEqualTo(4242);
    assertThat(json.at("/target/commandLine").asText())
        .isEqualTo("java -jar app.jar <&> \"quoted\"");
    assertThat(json.at("/options/minR2").asDouble()).isEqualTo(0.8);
    JsonNode rss = json.get("resources").get(0);
    assertThat(rss.get("resource").asText()).isEqualTo("residentBytes");
    assertThat(rss.get("unit").asText()).isEqualTo("MB");
    assertThat(rss.get("slopePerHour").asDouble()).isCloseTo(1200, within(0.5));
    assertThat(rss.get("r2").asDouble()).isGreaterThan(0.99);
    assertThat(rss.get("peak").asDouble()).isCloseTo(120, within(0.01));
    assertThat(json.get("spikes").get(0).get("riseMb").asDouble()).isEqualTo(80.0);
    assertThat(json.get("classGrowth").get(0).get("class").asText())
        .isEqualTo("com.example.LeakyRecord");
    assertThat(json.get("classGrowth").get(0).get("instancesGrown").asLong()).isEqualTo(5000);
    assertThat(json.get("samples")).hasSize(61);
    assertThat(json.get("samples").get(60).get("t").asDouble()).isEqualTo(60.0);
  }

  @Test
  void aLongWatchReportsAtMostTwoThousandSamples() throws Exception {
    List<ProcessSample> all = Series.rss(10_000, i -> 100 * MB);
    List<ProcessSample> few =
        dev.plimsoll.watch.internal.SampleSeries.downsample(all, LeakReport.MAX_REPORTED_SAMPLES);
    LeakReport report = Reports.of(few, LeakWatchOptions.builder().pid(1).build());
    Path file = dir.resolve("long.json");
    report.writeJson(file);
    assertThat(new ObjectMapper().readTree(file.toFile()).get("samples")).hasSize(2_000);
  }
}
