package org.dd4j.report;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.dd4j.Accuracy;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.ConfigJson;
import org.dd4j.storage.RunLayout;

/**
 * Finished (or running) distillations side by side, from their files alone: one row per run
 * with the settings that differ between the runs (from each config.json), the final accuracy
 * mean +- std per set and architecture (the last evaluation of each in eval.jsonl), the last
 * syn_lr, the iterations done and the seconds they took (metrics.jsonl); and one chart
 * overlaying the runs' matching loss and syn_lr per iteration. What {@code dd4j compare}
 * prints and what a sweep writes beside its table.
 *
 * @param runs the runs, in the order given
 * @param differing the config.json keys ("distill.lr_img") whose values differ between runs
 * @param columns the evaluated "set architecture" pairs, in first-seen order
 * @param warnings one line per damaged file that was read only in part (an event file)
 */
public record RunComparison(List<Run> runs, List<String> differing, List<String> columns,
    List<String> warnings) {

  /** The markdown table's file name. */
  public static final String MARKDOWN = "compare.md";
  /** The JSON Lines file's name, one object per run. */
  public static final String JSONL = "compare.jsonl";
  /** The chart's file name: matching loss above, syn_lr below. */
  public static final String CHART = "chart-compare.png";

  /** Keys of config.json that say how a run ran, not what it computed: never compared. */
  private static final Set<String> IGNORED = Set.of("command", "dd4j_version");
  private static final String IGNORED_PREFIX = "threads";
  /** The suffix of a schedule's samples that config.json writes beside the setting. */
  private static final String DERIVED = "_schedule";

  /**
   * One run.
   *
   * @param name how the table names it: the directory as given
   * @param dir its distillation directory
   * @param settings its config.json, flattened ("distill.lr_img" -&gt; "1000.0")
   * @param accuracy "set architecture" -&gt; {mean, std} as fractions, from the last
   *     evaluation of each
   * @param synLr syn_lr after the last applied iteration (NaN if none)
   * @param iterations iterations done (applied or skipped)
   * @param seconds the iterations' wall-clock seconds, summed
   * @param loss per applied iteration: {iteration, matching loss, syn_lr}
   */
  public record Run(String name, Path dir, Map<String, String> settings,
      Map<String, double[]> accuracy, double synLr, int iterations, double seconds,
      List<double[]> loss) {}

  /**
   * Reads the runs.
   *
   * @param dirs distillation directories ({@code dd4j distill --out}), experiment directories
   *     ({@code dd4j run --out}, with {@code distill/}) or sweep points ({@code point-NN})
   * @throws IllegalArgumentException naming the directory if one holds no distillation, or the
   *     file and line if a JSON file in it is not valid
   */
  public static RunComparison of(List<Path> dirs) {
    checkArgument(!dirs.isEmpty(), "compare needs at least one run directory");
    List<Run> runs = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Set<String> columns = new LinkedHashSet<>();
    for (Path d : dirs) {
      Run r = read(d);
      runs.add(r);
      columns.addAll(r.accuracy().keySet());
      warnings.addAll(TensorBoardSection.of(r.dir()).warnings());
    }
    Set<String> keys = new LinkedHashSet<>();
    runs.forEach(r -> keys.addAll(r.settings().keySet()));
    // "lr_img_schedule" beside "lr_img" holds the schedule's samples: derived, not a setting
    keys.removeIf(k -> k.endsWith(DERIVED) && keys.contains(
        k.substring(0, k.length() - DERIVED.length())));
    List<String> differing = keys.stream().filter(k -> runs.stream()
        .map(r -> r.settings().get(k)).distinct().count() > 1).toList();
    return new RunComparison(runs, differing, List.copyOf(columns), warnings);
  }

  /** The distillation directory of {@code dir}: itself, or its {@code distill/}. */
  static Path distillDir(Path dir) {
    for (Path c : new Path[] {dir, dir.resolve(RunLayout.DISTILL_DIR)}) {
      Path config = new RunLayout.Distill(c).config();
      if (Files.isRegularFile(config)
          && RunFiles.readObject(config).path("command").asText("").equals("distill")) {
        return c;
      }
    }
    throw new IllegalArgumentException(dir + " holds no distillation: expected config.json "
        + "with \"command\": \"distill\" there or in " + dir.resolve(RunLayout.DISTILL_DIR)
        + " (from dd4j distill, dd4j run or a sweep point)");
  }

  private static Run read(Path given) {
    Path dir = distillDir(given);
    RunLayout.Distill files = new RunLayout.Distill(dir);
    Map<String, String> settings = new TreeMap<>();
    flatten("", RunFiles.readObject(files.config()), settings);
    Map<String, double[]> accuracy = new LinkedHashMap<>();
    Map<String, Integer> at = new TreeMap<>();
    for (RunFiles.Line l : RunFiles.readLines(files.eval())) {
      String key = l.text("set", "?") + " " + l.text("model", "?");
      int it = l.has("iteration") ? l.integer("iteration") : 0;
      if (it >= at.getOrDefault(key, Integer.MIN_VALUE)) {
        at.put(key, it);
        accuracy.put(key, l.has("mean") ? new double[] {l.number("mean"), l.number("std")}
            : new double[] {Double.NaN, Double.NaN}); // diverged
      }
    }
    double synLr = Double.NaN;
    int iterations = 0;
    double seconds = 0;
    List<double[]> loss = new ArrayList<>();
    for (RunFiles.Line l : RunFiles.readLines(files.metrics())) {
      iterations = Math.max(iterations, l.integer("iteration") + 1);
      if (l.has("seconds")) {
        seconds += l.number("seconds");
      }
      if (!l.has("skipped") && Double.isFinite(l.number("loss"))) {
        synLr = l.number("syn_lr");
        loss.add(new double[] {l.integer("iteration"), l.number("loss"), synLr});
      }
    }
    return new Run(given.toString(), dir, settings, accuracy, synLr, iterations, seconds,
        loss);
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
        if (!IGNORED.contains(key) && !key.startsWith(IGNORED_PREFIX)) {
          flatten(key, e.getValue(), out);
        }
      }
    } else {
      out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
    }
  }

  /** "75.95 +- 0.66" (percent), or "diverged", or "" if the run has no such evaluation. */
  private static String percent(double[] ms) {
    if (ms == null) {
      return "";
    }
    return Double.isNaN(ms[0]) ? "diverged"
        : Accuracy.percent(ms[0]) + " +- " + Accuracy.percent(ms[1]);
  }

  /** The table as Markdown: run, differing settings, accuracy (%), syn_lr, iterations, s. */
  public String markdown() {
    List<String> head = new ArrayList<>(List.of("run"));
    head.addAll(differing);
    columns.forEach(c -> head.add(c + " (%)"));
    head.addAll(List.of("syn_lr", "iterations", "seconds"));
    StringBuilder s = new StringBuilder();
    s.append("| ").append(String.join(" | ", head)).append(" |\n|");
    s.append("---|".repeat(head.size())).append('\n');
    for (Run r : runs) {
      List<String> cells = new ArrayList<>(List.of(r.name()));
      differing.forEach(k -> cells.add(Objects.requireNonNullElse(r.settings().get(k),
          "(absent)")));
      columns.forEach(c -> cells.add(percent(r.accuracy().get(c))));
      cells.add(Double.isNaN(r.synLr()) ? "" : String.format("%.5g", r.synLr()));
      cells.add(String.valueOf(r.iterations()));
      cells.add(String.format("%.1f", r.seconds()));
      s.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
    if (differing.isEmpty() && runs.size() > 1) {
      s.append("\nThe runs' settings are all the same.\n");
    }
    return s.toString();
  }

  /** One JSON object per run: run, settings (the differing ones), accuracy, syn_lr, .... */
  public String jsonLines() {
    StringBuilder s = new StringBuilder();
    for (Run r : runs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run", r.name());
      Map<String, Object> settings = new LinkedHashMap<>();
      differing.forEach(k -> settings.put(k, r.settings().get(k)));
      m.put("settings", settings);
      Map<String, Object> acc = new LinkedHashMap<>();
      r.accuracy().forEach((k, v) -> acc.put(k, Double.isNaN(v[0]) ? "diverged"
          : Map.of("mean", v[0], "std", v[1])));
      m.put("accuracy", acc);
      m.put("syn_lr", Double.isNaN(r.synLr()) ? null : r.synLr());
      m.put("iterations", r.iterations());
      m.put("seconds", r.seconds());
      m.put("tensorboard", r.dir().resolve(RunLayout.TENSORBOARD).toString());
      s.append(ConfigJson.line(m)).append('\n');
    }
    return s.toString();
  }

  /**
   * The matching loss above syn_lr, per iteration, one line per run; empty if no
   * run has an applied iteration.
   */
  public Optional<BufferedImage> chart() {
    List<Charts.Series> loss = new ArrayList<>();
    List<Charts.Series> lr = new ArrayList<>();
    for (Run r : runs) {
      if (r.loss().isEmpty()) {
        continue;
      }
      double[] x = r.loss().stream().mapToDouble(p -> p[0]).toArray();
      loss.add(new Charts.Series(r.name(), x, r.loss().stream().mapToDouble(p -> p[1])
          .toArray(), Charts.Markers.NONE));
      lr.add(new Charts.Series(r.name(), x, r.loss().stream().mapToDouble(p -> p[2])
          .toArray(), Charts.Markers.NONE));
    }
    if (loss.isEmpty()) {
      return Optional.empty();
    }
    BufferedImage top = Charts.lines("Matching loss", "iteration", "matching loss",
        Charts.YScale.LINEAR, loss);
    BufferedImage bottom = Charts.lines("syn_lr", "iteration", "syn_lr",
        Charts.YScale.LINEAR, lr);
    BufferedImage both = new BufferedImage(top.getWidth(), top.getHeight()
        + bottom.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    g.drawImage(top, 0, 0, null);
    g.drawImage(bottom, 0, top.getHeight(), null);
    g.dispose();
    return Optional.of(both);
  }

  /**
   * Writes {@value #MARKDOWN}, {@value #JSONL} and {@value #CHART} (when there are curves)
   * into {@code dir}, each atomically.
   *
   * @return the files written
   */
  public List<Path> write(Path dir) {
    List<Path> out = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown());
      out.add(dir.resolve(MARKDOWN));
      AtomicFiles.writeString(dir.resolve(JSONL), jsonLines());
      out.add(dir.resolve(JSONL));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write into " + dir, e);
    }
    chart().ifPresent(img -> {
      Charts.writePng(dir.resolve(CHART), img);
      out.add(dir.resolve(CHART));
    });
    return out;
  }
}
