package dev.plimsoll.watch.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.plimsoll.watch.ClassGrowth;
import dev.plimsoll.watch.LeakReport;
import dev.plimsoll.watch.LeakWatchOptions;
import dev.plimsoll.watch.ProcessSample;
import dev.plimsoll.watch.ResourceFinding;
import dev.plimsoll.watch.Spike;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a {@link LeakReport} as JSON with jackson-core's streaming generator. */
public final class ReportJson {
  private static final JsonFactory JSON = new JsonFactory();
  private static final double MB = 1024.0 * 1024.0;

  private ReportJson() {}

  public static void write(LeakReport r, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (JsonGenerator g = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("verdict", r.verdict().name());
      g.writeNumberField("exitCode", r.exitCode());
      g.writeArrayFieldStart("reasons");
      for (String reason : r.analysis().reasons()) {
        g.writeString(reason);
      }
      g.writeEndArray();
      g.writeObjectFieldStart("target");
      g.writeNumberField("pid", r.pid());
      g.writeStringField("commandLine", r.target());
      if (r.targetExitCode() != null) {
        g.writeNumberField("exitCode", r.targetExitCode());
      }
      g.writeEndObject();
      g.writeStringField("startedAt", r.startedAt().toString());
      g.writeNumberField("watchedSeconds", r.watchedMillis() / 1000.0);
      g.writeStringField("endReason", r.endReason());
      options(g, r.options());
      g.writeArrayFieldStart("resources");
      for (ResourceFinding f : r.analysis().findings()) {
        double scale = f.measure().isBytes() ? MB : 1;
        g.writeStartObject();
        g.writeStringField("resource", f.measure().key());
        g.writeStringField("label", f.measure().label());
        g.writeStringField("unit", f.measure().isBytes() ? "MB" : "count");
        g.writeStringField("verdict", f.verdict().name());
        g.writeNumberField("slopePerHour", f.trend().slopePerHour() / scale);
        g.writeNumberField("r2", f.trend().r2());
        g.writeNumberField("risingShare", f.trend().risingShare());
        g.writeNumberField("trendSamples", f.trend().samples());
        g.writeNumberField("baseline", f.baseline() / scale);
        g.writeNumberField("last", f.last() / scale);
        g.writeNumberField("peak", f.peak() / scale);
        g.writeNumberField("growth", f.growth() / scale);
        g.writeNumberField("growthPercent", f.growthPercent());
        g.writeStringField("evidence", f.evidence());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("spikeCount", r.spikeCount());
      g.writeArrayFieldStart("spikes");
      for (Spike s : r.spikes()) {
        g.writeStartObject();
        g.writeNumberField("startSeconds", s.startMillis() / 1000.0);
        g.writeNumberField("peakSeconds", s.peakMillis() / 1000.0);
        g.writeNumberField("baseMb", s.baseBytes() / MB);
        g.writeNumberField("peakMb", s.peakBytes() / MB);
        g.writeNumberField("riseMb", s.riseBytes() / MB);
        g.writeNumberField("risePercent", s.risePercent());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("classGrowth");
      for (ClassGrowth c : r.classGrowth()) {
        g.writeStartObject();
        g.writeStringField("class", c.className());
        g.writeNumberField("instancesBefore", c.instancesBefore());
        g.writeNumberField("instancesAfter", c.instancesAfter());
        g.writeNumberField("instancesGrown", c.instancesGrown());
        g.writeNumberField("bytesBefore", c.bytesBefore());
        g.writeNumberField("bytesAfter", c.bytesAfter());
        g.writeNumberField("bytesGrown", c.bytesGrown());
        g.writeEndObject();
      }
      g.writeEndArray();
      if (r.histogramError() != null) {
        g.writeStringField("histogramError", r.histogramError());
      }
      g.writeNumberField("samplesTaken", r.samplesTaken());
      g.writeArrayFieldStart("samples");
      for (ProcessSample s : r.samples()) {
        g.writeStartObject();
        g.writeNumberField("t", s.atMillis() / 1000.0);
        g.writeNumberField("residentMb", s.residentBytes() / MB);
        g.writeNumberField("threads", s.threads());
        g.writeNumberField("openFiles", s.openFiles());
        g.writeNumberField("childProcesses", s.childProcesses());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void options(JsonGenerator g, LeakWatchOptions o) throws IOException {
    g.writeObjectFieldStart("options");
    if (o.pid() != null) {
      g.writeNumberField("pid", o.pid());
    }
    if (o.match() != null) {
      g.writeStringField("match", o.match());
    }
    if (o.startsCommand()) {
      g.writeArrayFieldStart("command");
      for (String a : o.command()) {
        g.writeString(a);
      }
      g.writeEndArray();
    }
    g.writeNumberField("intervalSeconds", o.interval().toMillis() / 1000.0);
    g.writeNumberField("durationSeconds", o.duration().toMillis() / 1000.0);
    g.writeNumberField("warmupSeconds", o.warmup().toMillis() / 1000.0);
    g.writeNumberField("minSamples", o.minSamples());
    g.writeNumberField("minR2", o.minR2());
    g.writeNumberField("noiseR2", o.noiseR2());
    g.writeNumberField("minRisingShare", o.minRisingShare());
    g.writeNumberField("minGrowthMbPerHour", o.minGrowthMbPerHour());
    g.writeNumberField("minGrowthPercent", o.minGrowthPercent());
    g.writeNumberField("minCountGrowth", o.minCountGrowth());
    g.writeNumberField("spikeMb", o.spikeMb());
    g.writeNumberField("spikePercent", o.spikePercent());
    g.writeNumberField("spikeWindowSeconds", o.spikeWindow().toMillis() / 1000.0);
    g.writeBooleanField("jvmHistogram", o.jvmHistogram());
    g.writeEndObject();
  }
}
