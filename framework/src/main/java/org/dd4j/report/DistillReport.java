package org.dd4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.dd4j.Accuracy;
import org.dd4j.Dd4jVersion;
import org.dd4j.report.Charts.Markers;
import org.dd4j.report.Charts.Series;
import org.dd4j.report.Charts.YScale;
import org.dd4j.report.RunFiles.Line;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.DistillRecord;
import org.dd4j.storage.EvalSets;
import org.dd4j.storage.ImageGrid;
import org.dd4j.storage.RunLayout;

/**
 * The report of a distillation run directory ({@code dd4j distill}), from {@code
 * config.json} (as its {@link DistillRecord}; a field an older file lacks, or a model it does
 * not describe in full, is left out of the configuration table), {@code metrics.jsonl},
 * {@code eval.jsonl} and the {@code syn-*.png} grids that {@link ImageGrid} wrote.
 *
 * <p>Writes {@value RunReport#REPORT_FILE} and the charts {@value #LOSS_CHART} (matching loss
 * per applied iteration, with a moving mean), {@value #SYN_LR_CHART} (the learned student
 * learning rate) and, when the distilled set was evaluated at two or more iterations, {@value
 * #ACCURACY_CHART}. A chart that does not apply is removed if an earlier report left one.
 *
 * <p>A line of {@code metrics.jsonl} repeated for the same iteration (a run resumed from an
 * earlier checkpoint) counts once, the last line winning; the same holds for an evaluation
 * of the same set at the same iteration in {@code eval.jsonl}.
 */
public final class DistillReport {

  /** Matching loss over iterations. */
  public static final String LOSS_CHART = "chart-loss.png";

  /** syn_lr over iterations. */
  public static final String SYN_LR_CHART = "chart-syn-lr.png";

  /** Evaluation test accuracy over iterations. */
  public static final String ACCURACY_CHART = "chart-eval-accuracy.png";

  private static final String DISTILLED = EvalSets.DISTILLED;
  private static final String RANDOM_REAL = EvalSets.RANDOM_REAL;

  /** An applied iteration: its matching loss and the syn_lr it ended with. */
  private record Step(int iteration, double loss, double synLr) {}

  /**
   * One evaluation: {@code networks} networks of {@code model} (null in files that predate
   * the field) trained on {@code set}, mean and std of their test accuracy in [0, 1]; a
   * diverged one has NaN mean and its {@code failure}.
   */
  record Eval(int iteration, String set, String label, String model, double lr, double mean, double std,
      int networks, String failure) {

    boolean randomReal() {
      return set.equals(RANDOM_REAL);
    }
  }

  private DistillReport() {}

  /**
   * Writes the report of the distillation run in {@code dir}.
   *
   * @throws IllegalArgumentException naming the file (and line) if config.json, metrics.jsonl
   *     or eval.jsonl is corrupt
   * @throws UncheckedIOException if config.json is missing or the report cannot be written
   */
  public static RunReport write(Path dir) {
    RunLayout.Distill files = new RunLayout.Distill(dir);
    DistillRecord run = DistillRecord.read(files.config());
    List<Line> metrics = RunFiles.readLines(files.metrics());
    TreeMap<Integer, Line> byIteration = new TreeMap<>();
    double seconds = 0;
    for (Line l : metrics) {
      byIteration.put(l.integer("iteration"), l);
      if (l.has("seconds")) {
        seconds += l.number("seconds");
      }
    }
    List<Step> steps = new ArrayList<>();
    Map<String, Integer> skipReasons = new TreeMap<>();
    for (Line l : byIteration.values()) {
      if (l.has("skipped")) {
        skipReasons.merge(l.text("skipped", "?"), 1, Integer::sum);
      } else {
        steps.add(new Step(l.integer("iteration"), l.number("loss"), l.number("syn_lr")));
      }
    }
    List<Eval> evals = evaluations(RunFiles.readLines(files.eval()));

    List<Path> charts = new ArrayList<>();
    drawTraining(dir, steps, charts);
    drawAccuracy(dir, evals, charts);

    Markdown md = new Markdown();
    md.heading(1, "Distillation report: " + dir.toAbsolutePath().normalize().getFileName());
    md.paragraph(String.format("%s on %s (%s preprocessing), %s, ipc %s, %s iterations; "
            + "buffer `%s`. Written by dd4j %s from the files in this directory; "
            + "`dd4j report DIR` writes it again.",
        methodTitle(orUnknown(run.method())), orUnknown(run.dataset()),
        orUnknown(run.preprocess()), orUnknown(run.modelLabel()),
        orUnknown(run.setting("ipc")), orUnknown(run.setting("iterations")),
        orUnknown(run.buffer()), Dd4jVersion.VERSION));
    accuracySection(md, evals, run);
    trainingSection(md, steps, skipReasons, metrics.size(), seconds);
    ObjectiveChart.write(dir, metrics, md, charts); // with regularizers only
    imagesSection(md, dir, run);
    md.heading(2, "Configuration (config.json)");
    md.table(List.of("setting", "value"), Markdown.flatten(run.toMap()));
    filesSection(md, dir);
    Path report = files.report();
    try {
      AtomicFiles.writeString(report, md.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report " + report, e);
    }
    return new RunReport(RunReport.Kind.DISTILL, report, charts);
  }

  /**
   * The evaluations of eval.jsonl, by iteration, then model in file order, then set (distilled
   * first); the last line for the same (iteration, set, model) wins.
   */
  static List<Eval> evaluations(List<Line> lines) {
    Map<String, Eval> latest = new TreeMap<>();
    Map<String, Integer> modelOrder = new java.util.HashMap<>();
    for (Line l : lines) {
      String set = l.text("set", null);
      if (set == null) {
        throw l.error("set is missing");
      }
      String model = l.text("model", null);
      String label = l.text("label", set);
      modelOrder.putIfAbsent(String.valueOf(model), modelOrder.size());
      int networks = l.json().path("accuracies").size();
      String failure = l.text("diverged", null);
      Eval e = new Eval(l.integer("iteration"), set, label, model,
          l.has("lr") ? l.number("lr") : Double.NaN,
          failure != null ? Double.NaN : l.number("mean"),
          l.has("std") ? l.number("std") : Double.NaN, networks, failure);
      latest.put(String.format("%010d %s %s", e.iteration(), set, model), e);
    }
    List<Eval> out = new ArrayList<>(latest.values());
    out.sort(Comparator.comparingInt(Eval::iteration)
        .thenComparing(e -> modelOrder.get(String.valueOf(e.model())))
        .thenComparing(e -> !e.set().equals(DISTILLED))
        .thenComparing(Eval::set));
    return out;
  }

  private static void drawTraining(Path dir, List<Step> steps, List<Path> charts) {
    List<Step> finite = steps.stream()
        .filter(s -> Double.isFinite(s.loss()) && Double.isFinite(s.synLr())).toList();
    if (finite.isEmpty()) {
      deleteStale(dir.resolve(LOSS_CHART));
      deleteStale(dir.resolve(SYN_LR_CHART));
      return;
    }
    int n = finite.size();
    double[] it = new double[n];
    double[] loss = new double[n];
    double[] lr = new double[n];
    for (int i = 0; i < n; i++) {
      it[i] = finite.get(i).iteration();
      loss[i] = finite.get(i).loss();
      lr[i] = finite.get(i).synLr();
    }
    List<Series> lossSeries = new ArrayList<>();
    lossSeries.add(new Series("matching loss", it, loss, Markers.NONE));
    int window = Math.max(5, n / 20);
    if (n >= 2 * window) {
      lossSeries.add(new Series("moving mean of " + window, it, movingMean(loss, window),
          Markers.NONE));
    }
    Path lossPng = dir.resolve(LOSS_CHART);
    Charts.writePng(lossPng, Charts.lines("Trajectory matching loss", "iteration",
        "normalized parameter distance", YScale.LINEAR, lossSeries));
    charts.add(lossPng);
    Path lrPng = dir.resolve(SYN_LR_CHART);
    Charts.writePng(lrPng, Charts.lines("Learned student learning rate", "iteration",
        "syn_lr", YScale.LINEAR, List.of(new Series("syn_lr", it, lr, Markers.NONE))));
    charts.add(lrPng);
  }

  private static void drawAccuracy(Path dir, List<Eval> evals, List<Path> charts) {
    Path png = dir.resolve(ACCURACY_CHART);
    long points = evals.stream().filter(e -> e.set().equals(DISTILLED))
        .mapToInt(Eval::iteration).distinct().count();
    if (points < 2) {
      deleteStale(png);
      return;
    }
    Map<String, List<Eval>> bySet = new TreeMap<>();
    for (Eval e : evals) {
      if (Double.isFinite(e.mean())) {
        bySet.computeIfAbsent(e.model() == null ? e.label() : e.label() + " on " + e.model(),
            k -> new ArrayList<>()).add(e);
      }
    }
    List<Series> series = new ArrayList<>();
    for (Map.Entry<String, List<Eval>> s : bySet.entrySet()) {
      List<Eval> es = s.getValue();
      double[] x = es.stream().mapToDouble(Eval::iteration).toArray();
      double[] y = es.stream().mapToDouble(e -> 100 * e.mean()).toArray();
      series.add(new Series(setLabel(s.getKey()), x, y, Markers.CIRCLES));
    }
    Charts.writePng(png, Charts.lines("Evaluation: test accuracy (mean over networks)",
        "iteration", "test accuracy (%)", YScale.LINEAR, series));
    charts.add(png);
  }

  /** A preset's label in capitals ("DATM"); a custom label ("custom (datm; lr_y=3.0)") as is. */
  static String methodTitle(String label) {
    return label.contains(" ") ? label : label.toUpperCase(java.util.Locale.ROOT);
  }

  private static void accuracySection(Markdown md, List<Eval> evals, DistillRecord run) {
    md.heading(2, "Accuracy");
    if (evals.isEmpty()) {
      md.paragraph("No evaluation yet (eval.jsonl is missing or empty).");
      return;
    }
    String student = orUnknown(run.modelLabel());
    boolean models = evals.stream().anyMatch(e -> e.model() != null
        && !e.model().equals(student));
    md.paragraph(String.format("Test accuracy of networks (%s) trained from scratch on each "
            + "set for %s epochs, mean +- std over the networks (eval.jsonl).",
        models ? "of each architecture" : student, orUnknown(run.evaluation().get("epochs"))));
    int last = evals.get(evals.size() - 1).iteration();
    Eval d = find(evals, last, e -> e.set().equals(DISTILLED));
    Eval r = d == null ? null : find(evals, last,
        e -> e.randomReal() && java.util.Objects.equals(e.model(), d.model()));
    if (d != null && r != null) {
      md.paragraph(String.format("**At iteration %d%s: distilled %s vs random real %s (%+.2f "
              + "points).**", last, models && d.model() != null ? " on " + d.model() : "",
          Accuracy.meanStd(d.mean(), d.std()), Accuracy.meanStd(r.mean(), r.std()),
          100 * (d.mean() - r.mean())));
    }
    List<List<String>> rows = new ArrayList<>();
    for (Eval e : evals) {
      List<String> row = new ArrayList<>(List.of(String.valueOf(e.iteration()),
          setLabel(e.label())));
      if (models) {
        row.add(e.model() == null ? student : e.model());
      }
      row.add(Double.isNaN(e.lr()) ? "-" : String.format("%.5g", e.lr()));
      row.add(e.failure() != null ? "diverged: " + e.failure()
          : Accuracy.percent(e.mean()) + " +- "
              + (Double.isNaN(e.std()) ? "-" : Accuracy.percent(e.std())));
      row.add(String.valueOf(e.networks()));
      rows.add(row);
    }
    List<String> header = new ArrayList<>(List.of("iteration", "set"));
    if (models) {
      header.add("model");
    }
    header.addAll(List.of("lr", "test accuracy (%)", "networks"));
    md.table(header, rows);
    if (evals.stream().filter(e -> e.set().equals(DISTILLED)).count() >= 2) {
      md.image("evaluation accuracy over iterations", ACCURACY_CHART);
    }
  }

  private static void trainingSection(Markdown md, List<Step> steps,
      Map<String, Integer> skipReasons, int lines, double seconds) {
    md.heading(2, "Training");
    if (steps.isEmpty() && skipReasons.isEmpty()) {
      md.paragraph("No iteration recorded yet (metrics.jsonl is missing or empty).");
      return;
    }
    List<String> facts = new ArrayList<>();
    int skipped = skipReasons.values().stream().mapToInt(Integer::intValue).sum();
    facts.add(String.format("iterations recorded: %d applied, %d skipped", steps.size(),
        skipped));
    skipReasons.forEach((reason, count) -> facts.add(String.format("skipped %d x: %s", count,
        reason)));
    if (!steps.isEmpty()) {
      Step first = steps.get(0);
      Step lastStep = steps.get(steps.size() - 1);
      double min = steps.stream().mapToDouble(Step::loss).filter(Double::isFinite).min()
          .orElse(Double.NaN);
      facts.add(String.format("matching loss: %.4g at iteration %d, %.4g at iteration %d "
              + "(lowest %.4g)", first.loss(), first.iteration(), lastStep.loss(),
          lastStep.iteration(), min));
      facts.add(String.format("syn_lr: %.5g at iteration %d, %.5g at iteration %d",
          first.synLr(), first.iteration(), lastStep.synLr(), lastStep.iteration()));
    }
    facts.add(String.format("time in iterations: %s over %d metrics lines (%.2f s per line);"
            + " evaluation time is not recorded", Markdown.duration(seconds), lines,
        lines == 0 ? 0 : seconds / lines));
    md.bullets(facts);
    if (!steps.isEmpty()) {
      md.image("matching loss over iterations", LOSS_CHART);
      md.image("syn_lr over iterations", SYN_LR_CHART);
    }
  }

  private static void imagesSection(Markdown md, Path dir, DistillRecord run) {
    List<String> grids;
    try (Stream<Path> files = Files.list(dir)) {
      grids = files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("syn-") && n.endsWith(".png")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    md.heading(2, "Synthetic images");
    if (grids.isEmpty()) {
      md.paragraph("No image grid (syn-*.png) yet.");
      return;
    }
    md.paragraph(String.format("One row per class, mapped back to pixels by inverting the "
        + "run's %s preprocessing (ZCA de-whitened where used).", orUnknown(run.preprocess())));
    for (String g : grids) {
      md.image(g, g);
    }
  }

  private static void filesSection(Markdown md, Path dir) {
    md.heading(2, "Data files");
    md.paragraph("The metrics are JSON Lines (one JSON object per line) for other tools, e.g. "
        + "`pandas.read_json(\"metrics.jsonl\", lines=True)`:");
    List<String> items = new ArrayList<>();
    addIfPresent(items, dir, RunLayout.METRICS, "one line per iteration: iteration, expert, "
        + "start_epoch, loss, syn_lr, seconds; a skipped one has skipped and "
        + "consecutive_skips instead of syn_lr and seconds");
    addIfPresent(items, dir, RunLayout.EVAL, "one line per evaluation: iteration, set, "
        + "model, ipc, lr, mean, std, accuracies (one per network), epochs; or diverged");
    addIfPresent(items, dir, RunLayout.CONFIG, "the resolved configuration");
    addIfPresent(items, dir, RunLayout.SUMMARY, "the final accuracy table");
    addIfPresent(items, dir, RunLayout.SYN_FINAL, "the final synthetic set (Arrow IPC, "
        + "docs/synthetic-set-format.md)");
    addIfPresent(items, dir, RunLayout.SYN_LATEST, "the synthetic set at the last save");
    addIfPresent(items, dir, RunLayout.CHECKPOINT, "the state to resume from");
    md.bullets(items);
  }

  static void addIfPresent(List<String> items, Path dir, String file, String what) {
    if (Files.exists(dir.resolve(file))) {
      items.add("`" + file + "`: " + what);
    }
  }

  static void deleteStale(Path chart) {
    try {
      Files.deleteIfExists(chart);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove stale chart " + chart, e);
    }
  }

  private static Eval find(List<Eval> evals, int iteration,
      java.util.function.Predicate<Eval> which) {
    for (Eval e : evals) {
      if (e.iteration() == iteration && which.test(e)) {
        return e;
      }
    }
    return null;
  }

  private static String setLabel(String set) {
    return EvalSets.name(set);
  }

  /** Mean of the last {@code window} values up to each index (fewer at the start). */
  static double[] movingMean(double[] v, int window) {
    double[] out = new double[v.length];
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      sum += v[i];
      if (i >= window) {
        sum -= v[i - window];
      }
      out[i] = sum / Math.min(i + 1, window);
    }
    return out;
  }

  /** A field's text, or "?" if it is absent. */
  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "?" : v.asText();
  }

  /** A recorded value as text, or "?" when an older config.json lacks it. */
  private static String orUnknown(Object value) {
    return value == null ? "?" : String.valueOf(value);
  }
}
