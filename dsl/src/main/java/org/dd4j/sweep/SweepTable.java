package org.dd4j.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.Accuracy;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.ConfigJson;

/**
 * The ranked table of a sweep, best mean accuracy first (failed points last, in grid order;
 * their accuracy column says "diverged" or "error: message", and a line below the table
 * gives each failure in full):
 * {@code sweep.md} (Markdown) and {@code sweep.jsonl} (one JSON object per point, same order).
 */
public final class SweepTable {

  /** File names in the sweep directory. */
  public static final String MARKDOWN = "sweep.md";
  public static final String JSONL = "sweep.jsonl";


  private SweepTable() {}

  /** The results, ranked. */
  public static List<SweepResult> ranked(List<SweepResult> results) {
    List<SweepResult> out = new ArrayList<>(results);
    out.sort(Comparator.comparing(SweepResult::failed)
        .thenComparing(Comparator.comparingDouble(SweepResult::accuracyMean).reversed())
        .thenComparingInt(r -> r.point().index()));
    return out;
  }

  /** The Markdown table, with a title naming the experiment and the model. */
  public static String markdown(String title, List<SweepResult> results) {
    List<SweepResult> ranked = ranked(results);
    StringBuilder b = new StringBuilder("## Sweep: ").append(title).append("\n\n");
    b.append("| rank | point | settings | method | accuracy (mean +- std) | syn_lr | "
        + "matching loss | seconds | run |\n|---:|---:|---|---|---|---:|---:|---:|---|\n");
    for (int i = 0; i < ranked.size(); i++) {
      SweepResult r = ranked.get(i);
      b.append(String.format("| %d | %d | %s | %s | %s | %s | %s | %.0f | %s |%n", i + 1,
          r.point().index(), r.point().label(), r.method(),
          r.failed() ? r.failureCell() : Accuracy.meanStd(r.accuracyMean(), r.accuracyStd())
              + " (" + r.runs() + " runs, " + r.model() + ")",
          Double.isNaN(r.synLr()) ? "-" : String.format("%.4g", r.synLr()),
          Double.isNaN(r.matchingLoss()) ? "-" : String.format("%.4f", r.matchingLoss()),
          r.seconds(), r.point().dirName()));
    }
    for (SweepResult r : ranked) {
      if (r.failed()) {
        b.append("\npoint ").append(r.point().index()).append(": ").append(r.failure());
      }
    }
    return b.append('\n').toString();
  }

  /** One JSON line per point, ranked. */
  public static String jsonLines(List<SweepResult> results) {
    StringBuilder b = new StringBuilder();
    List<SweepResult> ranked = ranked(results);
    for (int i = 0; i < ranked.size(); i++) {
      SweepResult r = ranked.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rank", i + 1);
      m.put("point", r.point().index());
      m.put("settings", r.point().values());
      m.put("method", r.method());
      m.put("model", r.model());
      m.put("accuracy_mean", finite(r.accuracyMean()));
      m.put("accuracy_std", finite(r.accuracyStd()));
      m.put("runs", r.runs());
      m.put("syn_lr", finite(r.synLr()));
      m.put("matching_loss", finite(r.matchingLoss()));
      m.put("seconds", r.seconds());
      m.put("run_dir", r.runDir());
      m.put("failure", r.failure());
      b.append(ConfigJson.line(m)).append('\n');
    }
    return b.toString();
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** Writes both files atomically into {@code dir}. */
  public static void write(Path dir, String title, List<SweepResult> results) {
    try {
      AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(title, results));
      AtomicFiles.writeString(dir.resolve(JSONL), jsonLines(results));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sweep table in " + dir, e);
    }
  }
}
