package org.dd4j.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.dd4j.distribute.Engine;
import org.dd4j.dsl.ScriptSource;
import org.dd4j.engine.SessionOptions;
import org.dd4j.experiment.Experiment;
import org.dd4j.experiment.ExperimentRunner;
import org.dd4j.experiment.Phase;
import org.dd4j.report.RunComparison;
import org.dd4j.storage.ExperimentRecord;
import org.dd4j.storage.RunLayout;

/**
 * {@code dd4j sweep}: trains the experiment's buffer once ({@code SWEEP/buffer}, its experts
 * units of the engine too), then runs one {@link SweepPointUnit} per grid point on the engine
 * (one Spark task each, or one after another locally, with the same files), and writes the
 * ranked {@link SweepTable}. Every point is built on the driver first, so a bad key or value
 * stops the sweep before anything runs.
 */
public final class SweepRunner {

  private final Engine engine;
  private final SessionOptions sessionOptions;
  private final PrintWriter log;
  private final boolean progress;

  public SweepRunner(Engine engine, SessionOptions sessionOptions, PrintWriter log,
      boolean progress) {
    this.engine = engine;
    this.sessionOptions = sessionOptions;
    this.log = log;
    this.progress = progress;
  }

  /**
   * @param base the script with the sweep's own {@code --set} overrides
   * @param e the experiment {@code base} describes
   * @param out the sweep directory
   * @return the points' results in grid order
   */
  public List<SweepResult> run(ScriptSource base, Experiment e, SweepGrid grid, Path out) {
    if (e.distill() == null || e.evaluation() == null) {
      throw new IllegalArgumentException(base.script() + ": a sweep needs distill { } and "
          + "evaluate { } blocks");
    }
    List<SweepPoint> points = grid.points();
    String sweepDir = out.toAbsolutePath().normalize().toString();
    RunLayout layout = RunLayout.experiment(Path.of(sweepDir));
    Path buffer = e.distill().buffer() != null ? e.distill().buffer().toAbsolutePath()
        : layout.buffer().dir();
    List<SweepPointUnit> units = points.stream().map(p -> new SweepPointUnit(base, p,
        sweepDir, buffer.toString(), sessionOptions.interOpThreads(),
        sessionOptions.graphOptimizations())).toList();
    for (SweepPointUnit u : units) {
      u.pointSource().load(); // every key and value checked before anything runs
    }
    log.printf("sweep %s: %d points (%s) on %s%n", out, points.size(), grid.values(),
        engine.describe());
    log.flush();
    if (e.buffer() != null && e.distill().buffer() == null) {
      ExperimentRecord record = new ExperimentRecord(base.script(), base.overrides(),
          grid.values(), null, ExperimentRunner.describe(e));
      new ExperimentRunner(sessionOptions, log).withEngine(engine, base).sharingData()
          .run(e, layout, new ExperimentRunner.Options(EnumSet.of(Phase.BUFFER), Set.of(),
              ExperimentRunner.Existing.REUSE_IF_UNCHANGED, progress), record.toMap());
    }
    List<SweepResult> results = engine.run("sweep", units);
    SweepTable.write(Path.of(sweepDir), e.name() + " (" + points.size() + " points)",
        results);
    // the points side by side as dd4j compare shows them: compare.md, .jsonl, chart
    RunComparison compared = RunComparison.of(points.stream()
        .map(p -> Path.of(sweepDir).resolve(p.dirName())).toList());
    compared.warnings().forEach(log::println);
    compared.write(Path.of(sweepDir));
    return results;
  }
}
