package org.dd4j.experiment;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.function.ObjIntConsumer;
import org.dd4j.data.ImageSet;
import org.dd4j.distill.DistillListener;
import org.dd4j.engine.SessionOptions;
import org.dd4j.evaluate.CrossArchitectureEvaluator;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.evaluate.ResultRow;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.storage.EvalSets;
import org.dd4j.storage.RunLayout;
import org.dd4j.synthetic.SyntheticSet;

/**
 * The evaluations on the way of a distillation (MTT's eval_it, {@code eval_every}): at each
 * {@link DistillListener#onEvaluationPoint}, {@code evalConfig.runs()} networks of the
 * student architecture trained on the set (and on its EMA), each row appended to the run's
 * eval.jsonl (a diverged one too), logged and handed to {@code onRow} (the TensorBoard
 * events). {@link ExperimentRunner} attaches it to the {@code DistillPhase}, which trains no
 * evaluation network itself.
 */
final class InRunEvaluation implements DistillListener {

  private final Model student;
  private final ImageSet test;
  private final EvalConfig evalConfig;
  private final SessionOptions sessionOptions;
  private final RunLayout.Distill files;
  private final PrintWriter log;
  private final ObjIntConsumer<ResultRow> onRow;

  /**
   * @param student the student architecture, whose networks are trained
   * @param test the test split they are measured on
   * @param files the distillation's directory (eval.jsonl)
   * @param onRow each row with its iteration, after it was appended
   */
  InRunEvaluation(Model student, ImageSet test, EvalConfig evalConfig,
      SessionOptions sessionOptions, RunLayout.Distill files, PrintWriter log,
      ObjIntConsumer<ResultRow> onRow) {
    this.student = student;
    this.test = test;
    this.evalConfig = evalConfig;
    this.sessionOptions = sessionOptions;
    this.files = files;
    this.log = log;
    this.onRow = onRow;
  }

  @Override
  public void onEvaluationPoint(int iteration, SyntheticSet set, Optional<SyntheticSet> ema) {
    evaluate(EvalSets.DISTILLED, set, iteration);
    if (ema.isPresent()) {
      evaluate(EvalSets.DISTILLED_EMA, ema.get(), iteration);
    }
  }

  private void evaluate(String id, SyntheticSet set, int iteration) {
    String name = EvalSets.name(id);
    log.printf("iteration %d: evaluating %s: %d networks x %d epochs on %d images...%n",
        iteration, name, evalConfig.runs(), evalConfig.epochs(), set.count());
    log.flush();
    var r = CrossArchitectureEvaluator.evaluate(Map.of(ModelRegistry.label(student.spec()),
            student), set.toImageSet(), set.labelLogits(), set.synLr(), Map.of(), test,
        evalConfig, sessionOptions, (arch, m, lr) -> { }).get(0);
    ResultRow row = ResultRow.of(id, name, null, set.ipc(), evalConfig.epochs(), r);
    ResultRow.append(files.eval(), row.evalLine(iteration));
    onRow.accept(row, iteration);
    log.printf("iteration %d: %s %s%n", iteration, name, row.accuracy());
    log.flush();
  }
}
