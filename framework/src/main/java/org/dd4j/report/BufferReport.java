package org.dd4j.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.dd4j.Accuracy;
import org.dd4j.Dd4jVersion;
import org.dd4j.buffer.TrajectoryStats;
import org.dd4j.models.ModelRegistry;
import org.dd4j.report.Charts.Markers;
import org.dd4j.report.Charts.Series;
import org.dd4j.report.Charts.YScale;
import org.dd4j.report.RunFiles.Line;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.BufferManifest;
import org.dd4j.storage.BufferRecord;
import org.dd4j.storage.TrajectoryReader;
import org.dd4j.storage.RunLayout;

/**
 * The report of a buffer directory ({@code dd4j buffer}), from {@code manifest.json}, {@code
 * config.json} (if present, as its {@link BufferRecord}), {@code metrics.jsonl} and the expert
 * files.
 *
 * <p>Writes {@value RunReport#REPORT_FILE}, {@value #ACCURACY_CHART} (test accuracy after
 * each epoch, one line per expert) and {@value #AVG_VAR_CHART} (AST's Avg_Var, the mean
 * squared parameter step between consecutive epochs, per complete expert; {@link
 * TrajectoryStats#avgVar}). Computing Avg_Var reads every complete expert file once.
 *
 * <p>An (expert, epoch) line repeated in {@code metrics.jsonl} (an expert trained again after
 * an interruption) counts once, the last line winning.
 */
public final class BufferReport {

  /** Test accuracy per epoch, one line per expert. */
  public static final String ACCURACY_CHART = "chart-expert-accuracy.png";

  /** Avg_Var per complete expert. */
  public static final String AVG_VAR_CHART = "chart-avg-var.png";

  /** Up to this many epochs, each point of the accuracy chart gets a marker. */
  private static final int MARKER_EPOCHS = 20;

  private BufferReport() {}

  /**
   * Writes the report of the buffer in {@code dir}.
   *
   * @throws org.dd4j.storage.TrajectoryFormatException if manifest.json or an expert file is
   *     invalid
   * @throws IllegalArgumentException naming the file (and line) if config.json or
   *     metrics.jsonl is corrupt
   * @throws UncheckedIOException if the report cannot be written
   */
  public static RunReport write(Path dir) {
    BufferDirectory buffer = BufferDirectory.open(dir);
    BufferManifest m = buffer.manifest();
    Path configFile = new RunLayout.Buffer(dir).config();
    BufferRecord config = Files.exists(configFile) ? BufferRecord.read(configFile) : null;
    // expert -> epoch -> line
    Map<Integer, TreeMap<Integer, Line>> epochs = new TreeMap<>();
    Map<Integer, Double> seconds = new TreeMap<>();
    for (Line l : RunFiles.readLines(new RunLayout.Buffer(dir).metrics())) {
      int expert = l.integer("expert");
      epochs.computeIfAbsent(expert, k -> new TreeMap<>()).put(l.integer("epoch"), l);
      if (l.has("seconds")) {
        seconds.merge(expert, l.number("seconds"), Double::sum);
      }
    }
    List<Integer> complete = buffer.completeExperts();
    Map<Integer, Double> avgVar = new TreeMap<>();
    for (int i : complete) {
      try (TrajectoryReader r = buffer.openExpert(i)) {
        avgVar.put(i, TrajectoryStats.avgVar(r));
      }
    }

    List<Path> charts = new ArrayList<>();
    drawAccuracy(dir, epochs, m.epochs(), charts);
    drawAvgVar(dir, avgVar, charts);

    Markdown md = new Markdown();
    md.heading(1, "Buffer report: " + dir.toAbsolutePath().normalize().getFileName());
    md.paragraph(String.format("%d of %d experts complete, %d epochs each, %s (%,d "
            + "parameters) on %s with %s preprocessing; optimizer %s. Written by dd4j %s from "
            + "the files in this directory; `dd4j report DIR` writes it again.",
        complete.size(), m.numExperts(), m.epochs(), ModelRegistry.label(m.model()),
        m.layout().totalSize(), m.dataset(),
        m.preprocessing().getOrDefault("name", "?"), m.optimizer().getOrDefault("name", "?"),
        Dd4jVersion.VERSION));
    expertsSection(md, m, complete, epochs, avgVar, seconds);
    md.heading(2, "Configuration (" + (config != null ? RunLayout.CONFIG : RunLayout.MANIFEST) + ")");
    md.table(List.of("setting", "value"), config != null ? Markdown.flatten(config.toMap())
        : Markdown.flatten(RunFiles.readObject(dir.resolve(BufferDirectory.MANIFEST_FILE))));
    md.heading(2, "Data files");
    md.paragraph("The metrics are JSON Lines (one JSON object per line) for other tools, e.g. "
        + "`pandas.read_json(\"metrics.jsonl\", lines=True)`:");
    List<String> items = new ArrayList<>();
    DistillReport.addIfPresent(items, dir, RunLayout.METRICS, "one line per expert epoch: "
        + "expert, epoch, lr, train_loss, train_acc, test_acc, seconds, images_per_second");
    DistillReport.addIfPresent(items, dir, RunLayout.CONFIG, "the resolved configuration");
    DistillReport.addIfPresent(items, dir, BufferDirectory.MANIFEST_FILE, "model, parameter "
        + "layout, dataset, training settings, complete experts");
    items.add("`expert-NNNNN.arrow`: one Arrow IPC file per expert, flat float32 parameters at "
        + "epochs 0.." + m.epochs() + " (docs/trajectory-format.md)");
    md.bullets(items);
    Path report = dir.resolve(RunReport.REPORT_FILE);
    try {
      AtomicFiles.writeString(report, md.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report " + report, e);
    }
    return new RunReport(RunReport.Kind.BUFFER, report, charts);
  }

  private static void drawAccuracy(Path dir, Map<Integer, TreeMap<Integer, Line>> epochs,
      int totalEpochs, List<Path> charts) {
    Path png = dir.resolve(ACCURACY_CHART);
    List<Series> series = new ArrayList<>();
    for (Map.Entry<Integer, TreeMap<Integer, Line>> e : epochs.entrySet()) {
      List<double[]> points = new ArrayList<>();
      for (Line l : e.getValue().values()) {
        double acc = l.number("test_acc");
        if (Double.isFinite(acc)) {
          points.add(new double[] {l.integer("epoch"), 100 * acc});
        }
      }
      if (!points.isEmpty()) {
        series.add(new Series("expert " + e.getKey(),
            points.stream().mapToDouble(p -> p[0]).toArray(),
            points.stream().mapToDouble(p -> p[1]).toArray(),
            totalEpochs <= MARKER_EPOCHS ? Markers.CIRCLES : Markers.NONE));
      }
    }
    if (series.isEmpty()) {
      DistillReport.deleteStale(png);
      return;
    }
    Charts.writePng(png, Charts.lines("Expert test accuracy after each epoch", "epoch",
        "test accuracy (%)", YScale.LINEAR, series));
    charts.add(png);
  }

  private static void drawAvgVar(Path dir, Map<Integer, Double> avgVar, List<Path> charts) {
    Path png = dir.resolve(AVG_VAR_CHART);
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    avgVar.forEach((expert, v) -> {
      if (Double.isFinite(v)) {
        names.add(String.valueOf(expert));
        values.add(v);
      }
    });
    if (names.isEmpty()) {
      DistillReport.deleteStale(png);
      return;
    }
    Charts.writePng(png, Charts.bars("Avg_Var per expert (mean squared step between epochs;"
        + " lower is smoother)", "expert", "Avg_Var", names, values));
    charts.add(png);
  }

  private static void expertsSection(Markdown md, BufferManifest m, List<Integer> complete,
      Map<Integer, TreeMap<Integer, Line>> epochs, Map<Integer, Double> avgVar,
      Map<Integer, Double> seconds) {
    md.heading(2, "Experts");
    TreeSet<Integer> experts = new TreeSet<>(complete);
    experts.addAll(epochs.keySet());
    if (experts.isEmpty()) {
      md.paragraph("No expert trained yet.");
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    List<Double> finals = new ArrayList<>();
    for (int i : experts) {
      TreeMap<Integer, Line> e = epochs.getOrDefault(i, new TreeMap<>());
      String last = "-";
      String best = "-";
      String loss = "-";
      if (!e.isEmpty()) {
        Line l = e.lastEntry().getValue();
        double acc = l.number("test_acc");
        last = Accuracy.percent(acc) + " (epoch " + e.lastKey() + ")";
        if (complete.contains(i) && e.lastKey() == m.epochs()) {
          finals.add(acc);
        }
        Line top = l;
        for (Line x : e.values()) {
          if (x.number("test_acc") > top.number("test_acc")) {
            top = x;
          }
        }
        best = Accuracy.percent(top.number("test_acc")) + " (epoch " + top.integer("epoch")
            + ")";
        loss = l.has("train_loss") ? String.format("%.4f", l.number("train_loss")) : "-";
      }
      rows.add(List.of(String.valueOf(i), complete.contains(i) ? "complete" : "incomplete",
          last, best, loss,
          avgVar.containsKey(i) ? String.format("%.5g", avgVar.get(i)) : "-",
          seconds.containsKey(i) ? Markdown.duration(seconds.get(i)) : "-"));
    }
    if (!finals.isEmpty()) {
      double mean = finals.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      double var = finals.stream().mapToDouble(a -> (a - mean) * (a - mean)).average()
          .orElse(0);
      md.paragraph(String.format("**Final test accuracy: %s over %d complete experts** (mean "
          + "+- population std).", Accuracy.meanStd(mean, Math.sqrt(var)), finals.size()));
    }
    md.table(List.of("expert", "status", "last test acc (%)", "best test acc (%)",
        "last train loss", "Avg_Var", "training time"), rows);
    double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    md.paragraph(String.format("Training time: %s in all (sum of the seconds of every "
        + "epoch line in metrics.jsonl).", Markdown.duration(total)));
    md.image("test accuracy per epoch, one line per expert", ACCURACY_CHART);
    if (!avgVar.isEmpty()) {
      md.image("Avg_Var per expert", AVG_VAR_CHART);
    }
  }
}
