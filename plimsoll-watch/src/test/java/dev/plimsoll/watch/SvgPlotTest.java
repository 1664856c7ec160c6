package dev.plimsoll.watch;

import static dev.plimsoll.watch.Series.MB;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class SvgPlotTest {
  @TempDir Path dir;

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void thePlotIsWellFormedSvgWithOnePolylinePerResourceAndADashedTrendLine() throws Exception {
    List<ProcessSample> samples = Series.rss(40, i -> 100 * MB + i * MB);
    LeakReport report = Reports.of(samples, LeakWatchOptions.builder().pid(1).build());
    Path file = dir.resolve("sub/plot.svg");
    SvgPlot.write(report, file);

    Document doc = parse(Files.readString(file));
    assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
    NodeList lines = doc.getElementsByTagName("polyline");
    assertThat(lines.getLength()).isEqualTo(report.analysis().findings().size()).isEqualTo(4);
    for (int i = 0; i < lines.getLength(); i++) {
      String points = lines.item(i).getAttributes().getNamedItem("points").getNodeValue();
      assertThat(points.split(" ")).hasSize(40);
    }
    assertThat(doc.getElementsByTagName("line").getLength()).isEqualTo(4);
    assertThat(doc.getDocumentElement().getTextContent())
        .contains("resident memory (MB): LEAK")
        .contains("threads: STABLE");
  }

  @Test
  void aReportWithoutSamplesStillDrawsAValidDocument() throws Exception {
    LeakReport report = Reports.of(List.of(), LeakWatchOptions.builder().pid(1).build());
    Document doc = parse(SvgPlot.render(report));
    assertThat(doc.getElementsByTagName("polyline").getLength()).isZero();
    assertThat(doc.getDocumentElement().getTextContent()).contains("no samples");
  }
}
