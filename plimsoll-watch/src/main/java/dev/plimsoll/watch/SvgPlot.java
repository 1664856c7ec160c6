package dev.plimsoll.watch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link LeakReport}'s series as a standalone SVG: one chart per resource (resident memory
 * in MB, threads, open files, children) over a shared time axis in seconds, each with one {@code
 * <polyline>} of the samples and the fitted trend as a dashed {@code <line>}, titled with the
 * resource's verdict and slope. Hand-written SVG, no dependencies.
 */
public final class SvgPlot {
  private static final int WIDTH = 820;
  private static final int CHART_HEIGHT = 170;
  private static final int LEFT = 80;
  private static final int RIGHT = 20;
  private static final int TOP = 28;
  private static final int BOTTOM = 26;
  private static final int HEADER = 30;
  private static final double MB = 1024.0 * 1024.0;

  private SvgPlot() {}

  /** Writes the plot of {@code report} to {@code file} (creating parent directories). */
  public static void write(LeakReport report, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, render(report), StandardCharsets.UTF_8);
  }

  /** The SVG document of {@code report}. */
  public static String render(LeakReport report) {
    List<ProcessSample> samples = report.samples();
    List<ResourceFinding> findings = report.analysis().findings();
    int height = HEADER + Math.max(1, findings.size()) * (CHART_HEIGHT + TOP + BOTTOM);
    StringBuilder svg = new StringBuilder(64 * 1024);
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" font-family=\"sans-serif\" font-size=\"11\">\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(
        svg,
        LEFT,
        18,
        "start",
        "bold",
        String.format(
            Locale.ROOT,
            "leakwatch pid %d: %s (exit %d), %.0f s, %d samples",
            report.pid(),
            report.verdict(),
            report.exitCode(),
            report.watchedMillis() / 1000.0,
            report.samplesTaken()));
    if (samples.isEmpty()) {
      text(svg, LEFT, HEADER + 20, "start", "normal", "no samples");
      return svg.append("</svg>\n").toString();
    }
    long t0 = samples.get(0).atMillis();
    double tMax = Math.max(1, samples.get(samples.size() - 1).atMillis() - t0) / 1000.0;
    int y0 = HEADER;
    for (ResourceFinding f : findings) {
      chart(svg, report, f, samples, t0, tMax, y0);
      y0 += CHART_HEIGHT + TOP + BOTTOM;
    }
    return svg.append("</svg>\n").toString();
  }

  private static void chart(
      StringBuilder svg,
      LeakReport report,
      ResourceFinding f,
      List<ProcessSample> samples,
      long t0,
      double tMax,
      int y0) {
    Measure m = f.measure();
    double scale = m.isBytes() ? MB : 1;
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (ProcessSample s : samples) {
      double v = s.value(m) / scale;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (hi - lo < 1e-9) {
      hi = lo + 1;
    }
    double pad = (hi - lo) * 0.05;
    lo = Math.max(0, lo - pad);
    hi += pad;
    int plotW = WIDTH - LEFT - RIGHT;
    int top = y0 + TOP;
    int bottom = top + CHART_HEIGHT;
    String colour =
        f.verdict() == Verdict.LEAK
            ? "#c62828"
            : f.verdict() == Verdict.STABLE ? "#2e7d32" : "#ef6c00";
    text(
        svg,
        LEFT,
        top - 8,
        "start",
        "bold",
        String.format(
            Locale.ROOT,
            "%s%s: %s, %s, R² %.2f",
            m.label(),
            m.isBytes() ? " (MB)" : "",
            f.verdict(),
            m.formatRate(f.trend().slopePerHour()),
            f.trend().r2()));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
            LEFT,
            top,
            plotW,
            CHART_HEIGHT));
    for (int i = 0; i <= 4; i++) {
      double v = lo + (hi - lo) * i / 4;
      double y = bottom - CHART_HEIGHT * i / 4.0;
      text(
          svg,
          LEFT - 6,
          y + 4,
          "end",
          "normal",
          String.format(Locale.ROOT, m.isBytes() ? "%.1f" : "%.0f", v));
      double t = tMax * i / 4;
      double x = LEFT + plotW * i / 4.0;
      text(svg, x, bottom + 15, "middle", "normal", String.format(Locale.ROOT, "%.0f s", t));
    }
    double warm = report.options().warmup().toMillis() / 1000.0;
    if (warm > 0) {
      double x = LEFT + plotW * Math.min(1, warm / tMax);
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eee\"/>\n",
              LEFT,
              top,
              x - LEFT,
              CHART_HEIGHT));
    }
    StringBuilder points = new StringBuilder(samples.size() * 14);
    double sumT = 0;
    double sumV = 0;
    int n = 0;
    for (ProcessSample s : samples) {
      double t = (s.atMillis() - t0) / 1000.0;
      double v = s.value(m) / scale;
      points.append(
          String.format(
              Locale.ROOT,
              "%.1f,%.1f ",
              LEFT + plotW * t / tMax,
              bottom - CHART_HEIGHT * (v - lo) / (hi - lo)));
      if (t >= warm) {
        sumT += t;
        sumV += v;
        n++;
      }
    }
    svg.append("<polyline fill=\"none\" stroke=\"")
        .append(colour)
        .append("\" stroke-width=\"1.5\" points=\"")
        .append(points.toString().trim())
        .append("\"/>\n");
    if (n >= 2) {
      double slopePerSecond = f.trend().slopePerHour() / scale / 3600;
      double meanT = sumT / n;
      double meanV = sumV / n;
      double ta = warm;
      double tb = tMax;
      double va = meanV + slopePerSecond * (ta - meanT);
      double vb = meanV + slopePerSecond * (tb - meanT);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\" stroke-dasharray=\"5,4\"/>\n",
              LEFT + plotW * ta / tMax,
              clamp(bottom - CHART_HEIGHT * (va - lo) / (hi - lo), top, bottom),
              LEFT + plotW * tb / tMax,
              clamp(bottom - CHART_HEIGHT * (vb - lo) / (hi - lo), top, bottom)));
    }
  }

  private static double clamp(double v, double min, double max) {
    return Math.max(min, Math.min(max, v));
  }

  private static void text(
      StringBuilder svg, double x, double y, String anchor, String weight, String s) {
    svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-weight=\"%s\">",
                x,
                y,
                anchor,
                weight))
        .append(escape(s))
        .append("</text>\n");
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
