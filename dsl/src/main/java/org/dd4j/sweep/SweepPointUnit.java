package org.dd4j.sweep;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.dd4j.distill.DistillationDivergedException;
import org.dd4j.distribute.UnitContext;
import org.dd4j.distribute.UnitFailedException;
import org.dd4j.distribute.WorkUnit;
import org.dd4j.dsl.ScriptSource;
import org.dd4j.engine.SessionOptions;
import org.dd4j.evaluate.ResultRow;
import org.dd4j.experiment.Experiment;
import org.dd4j.experiment.ExperimentRunner;
import org.dd4j.experiment.Phase;
import org.dd4j.report.RunFiles;
import org.dd4j.storage.EvalSets;
import org.dd4j.storage.ExperimentRecord;
import org.dd4j.storage.RunLayout;

/**
 * One point of a sweep: the script with the point's values as {@code --set} overrides,
 * distilled from the shared buffer and evaluated into {@code SWEEP/point-NN/} (its
 * experiment.json, distill/ as {@code dd4j run} writes it, and task.log). A finished point
 * is reused when it runs again (its settings unchanged). A point that fails is a failed row,
 * not a failed sweep: "diverged: ..." when its distillation or evaluation diverged, "error:
 * ..." for any other exception (its stack trace in task.log); the sweep then exits non-zero.
 *
 * @param source the script and the sweep's own {@code --set} overrides
 * @param point the grid point
 * @param sweepDir the sweep's directory, on storage every executor shares
 * @param bufferDir the shared buffer
 */
public record SweepPointUnit(ScriptSource source, SweepPoint point, String sweepDir,
    String bufferDir, int interOpThreads, boolean grappler)
    implements WorkUnit<SweepResult> {

  /** The point's script and overrides: the sweep's, then the point's values. */
  public ScriptSource pointSource() {
    LinkedHashMap<String, String> o = new LinkedHashMap<>(source.overrides());
    o.putAll(point.values());
    return new ScriptSource(source.script(), o);
  }

  @Override
  public String label() {
    return "point " + point.index() + " (" + point.label() + ")";
  }

  @Override
  public String logFile() {
    return runDir().resolve("task.log").toString();
  }

  private Path runDir() {
    return Path.of(sweepDir).resolve(point.dirName());
  }

  @Override
  public SweepResult run(UnitContext context) {
    long t0 = System.nanoTime();
    ScriptSource s = pointSource();
    Experiment e = s.load();
    String method = e.distill() == null ? "" : e.distill().methodLabel();
    Path dir = runDir();
    RunLayout layout = new RunLayout(dir, new RunLayout.Buffer(Path.of(bufferDir)),
        new RunLayout.Distill(dir.resolve(RunLayout.DISTILL_DIR)));
    ExperimentRecord record = new ExperimentRecord(s.script(), s.overrides(), null,
        point.values(), ExperimentRunner.describe(e));
    context.log().printf("%s: %s%n", label(), dir);
    context.log().flush();
    List<ResultRow> rows;
    try {
      rows = new ExperimentRunner(new SessionOptions(context.cpus(), interOpThreads, grappler),
          context.log()).sharingData().run(e, layout, new ExperimentRunner.Options(
              Set.of(Phase.DISTILL, Phase.EVALUATE), Set.of(),
              ExperimentRunner.Existing.REUSE_IF_UNCHANGED, false), record.toMap()).rows();
    } catch (DistillationDivergedException diverged) {
      return failed(layout, t0, method, SweepResult.DIVERGED + "distillation: "
          + diverged.getMessage());
    } catch (RuntimeException error) {
      context.log().println("failed: " + error);
      error.printStackTrace(context.log());
      context.log().flush();
      return failed(layout, t0, method,
          SweepResult.ERROR + UnitFailedException.describe(error));
    }
    ResultRow row = rows.stream().filter(r -> r.id().equals(EvalSets.DISTILLED)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the script evaluates no distilled "
            + "set; a sweep needs distill { } and evaluate { } blocks"));
    return new SweepResult(point, method, row.model(),
        row.diverged() ? Double.NaN : row.result().mean(),
        row.diverged() ? Double.NaN : row.result().std(),
        row.diverged() ? 0 : row.result().accuracies().length, row.lr(), lastLoss(layout),
        seconds(t0), dir.toString(), row.diverged()
            ? SweepResult.DIVERGED + "evaluation at lr " + row.lr() + ": " + row.failure()
            : null);
  }

  private SweepResult failed(RunLayout layout, long t0, String method, String failure) {
    return new SweepResult(point, method, "", Double.NaN, Double.NaN, 0, Double.NaN,
        lastLoss(layout), seconds(t0), runDir().toString(), failure);
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * The loss of the last iteration in metrics.jsonl that was not skipped, else NaN (also for
   * a file that cannot be read: the point's accuracy still ranks it).
   */
  static double lastLoss(RunLayout layout) {
    double loss = Double.NaN;
    try {
      for (RunFiles.Line l : RunFiles.readLines(layout.distill().metrics())) {
        if (!l.has("skipped") && l.has("loss")) {
          loss = l.number("loss");
        }
      }
    } catch (UncheckedIOException | IllegalArgumentException unreadable) {
      return Double.NaN;
    }
    return loss;
  }
}
