package org.dd4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dd4j.report.Charts.Markers;
import org.dd4j.report.Charts.Series;
import org.dd4j.report.Charts.YScale;
import org.dd4j.report.RunFiles.Line;

/**
 * The distillation objective's terms in report.md, for a run with regularizers: the chart
 * {@value #CHART} of the matching loss ({@code loss}), each regularizer's weighted value
 * weight_k R_k and the whole objective L ({@code objective}) per applied iteration, from
 * metrics.jsonl's {@code regularizers} objects, and a table of each term's weight and value at
 * the first and last applied iteration. A run without regularizers gets neither (and a stale
 * chart is removed).
 */
final class ObjectiveChart {

  /** The objective's terms over iterations. */
  static final String CHART = "chart-objective.png";

  private ObjectiveChart() {}

  /**
   * Draws the chart into {@code dir} and adds its section to {@code md}, when metrics.jsonl
   * has regularizers.
   *
   * @param metrics metrics.jsonl's lines, any order (the last line of an iteration wins)
   */
  static void write(Path dir, List<Line> metrics, Markdown md, List<Path> charts) {
    TreeMap<Integer, Line> applied = new TreeMap<>();
    for (Line l : metrics) {
      if (!l.has("skipped") && l.has("objective") && l.has("regularizers")
          && Double.isFinite(l.number("objective"))) {
        applied.put(l.integer("iteration"), l);
      } else if (l.has("iteration")) {
        applied.remove(l.integer("iteration"));
      }
    }
    Path png = dir.resolve(CHART);
    if (applied.isEmpty()) {
      DistillReport.deleteStale(png);
      return;
    }
    int n = applied.size();
    double[] it = new double[n];
    double[] matching = new double[n];
    double[] total = new double[n];
    Map<String, double[]> weighted = new LinkedHashMap<>();
    Map<String, double[][]> firstLast = new LinkedHashMap<>(); // label -> {{w, R}, {w, R}}
    int i = 0;
    for (Line l : applied.values()) {
      it[i] = l.integer("iteration");
      matching[i] = l.number("loss");
      total[i] = l.number("objective");
      JsonNode terms = l.json().get("regularizers");
      for (Iterator<Map.Entry<String, JsonNode>> e = terms.fields(); e.hasNext();) {
        Map.Entry<String, JsonNode> t = e.next();
        double w = t.getValue().path("weight").asDouble(Double.NaN);
        double r = t.getValue().path("value").asDouble(Double.NaN);
        double[] series = weighted.computeIfAbsent(t.getKey(), k -> fill(n));
        series[i] = w * r;
        double[][] fl = firstLast.computeIfAbsent(t.getKey(), k -> new double[][] {
            {w, r}, {w, r}});
        fl[1] = new double[] {w, r};
      }
      i++;
    }
    List<Series> series = new ArrayList<>();
    series.add(new Series("matching loss", it, matching, Markers.NONE));
    weighted.forEach((label, y) -> series.add(new Series("weight x " + label, it, y,
        Markers.NONE)));
    series.add(new Series("objective L", it, total, Markers.NONE));
    Charts.writePng(png, Charts.lines("Distillation objective L = matching + sum weight_k R_k",
        "iteration", "value", YScale.LINEAR, series));
    charts.add(png);
    md.heading(2, "Objective terms");
    List<List<String>> rows = new ArrayList<>();
    firstLast.forEach((label, fl) -> rows.add(List.of(label, fmt(fl[0][0]), fmt(fl[0][1]),
        fmt(fl[1][0]), fmt(fl[1][1]))));
    md.paragraph(String.format("L = matching loss + sum_k weight_k R_k; matching loss %s at"
        + " iteration %d, %s at iteration %d; L %s, then %s.", fmt(matching[0]), (int) it[0],
        fmt(matching[n - 1]), (int) it[n - 1], fmt(total[0]), fmt(total[n - 1])));
    md.table(List.of("regularizer", "first weight", "first R", "last weight", "last R"), rows);
    md.image("objective terms over iterations", CHART);
  }

  /** A term absent from a line (none is in a run: the list cannot change on resume) is 0. */
  private static double[] fill(int n) {
    return new double[n];
  }

  private static String fmt(double v) {
    return String.format("%.4g", v);
  }
}
