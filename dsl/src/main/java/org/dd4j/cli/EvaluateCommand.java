package org.dd4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.dd4j.data.Dataset;
import org.dd4j.data.ImageSet;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.distill.SyntheticSet;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.evaluate.EvalResult;
import org.dd4j.evaluate.Evaluator;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;
import org.dd4j.storage.SyntheticSetFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dd4j evaluate}: the evaluation protocol on a saved synthetic set and baselines. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train fresh networks on a small training set (a distilled synthetic set "
        + "and/or random real images at the same ipc) and test them on the real test set: "
        + "mean +- std over K networks (MTT's protocol: SGD momentum 0.9, weight decay 5e-4, "
        + "batch 256, lr x0.1 at half the epochs, DSA)."})
final class EvaluateCommand implements Callable<Integer> {

  @Option(names = {"--syn"}, paramLabel = "FILE",
      description = "A synthetic set saved by dd4j distill (.arrow); trained with its learned "
          + "syn_lr unless --lr is given.")
  Path syn;

  @Option(names = {"--ipc"}, description = "Images per class of the random-real baseline "
      + "(default: the synthetic set's).")
  Integer ipc;

  @Option(names = {"--baseline"}, defaultValue = "random",
      description = "random (random real images at the same ipc, seeded) or none "
          + "(default: ${DEFAULT-VALUE}).")
  String baseline;

  @Option(names = {"--lr"}, description = "Learning rate for the synthetic set's networks "
      + "(default: its learned syn_lr).")
  Double lr;

  @Option(names = {"--lr-teacher", "--lr_teacher"}, defaultValue = "0.01",
      description = "Learning rate for the baseline's networks (default: ${DEFAULT-VALUE}).")
  double lrTeacher;

  @Option(names = {"--baseline-seed"}, defaultValue = "0",
      description = "Seed choosing the random real images (default: ${DEFAULT-VALUE}).")
  long baselineSeed;

  @Mixin DataOptions data;
  @Mixin ModelOptions model;
  @Mixin EvalOptions eval;
  @Mixin RuntimeOptions runtime;
  @Spec CommandSpec command;

  /** One row of the results table. */
  record Row(String set, int ipc, double lr, EvalResult result) {}

  @Override
  public Integer call() {
    if (syn == null && ipc == null) {
      throw new IllegalArgumentException("give --syn FILE, or --ipc N for the baseline alone");
    }
    if (!baseline.equals("random") && !baseline.equals("none")) {
      throw new IllegalArgumentException("--baseline must be random or none, got " + baseline);
    }
    PrintWriter log = command.commandLine().getErr();
    PrintWriter out = command.commandLine().getOut();
    PreprocessingKinds.Prepared prepared = data.load(log);
    Dataset d = prepared.data();
    ModelSpec spec = model.spec(d);
    Model m = ModelRegistry.create(spec);
    EvalConfig cfg = eval.config();
    List<Row> rows = new ArrayList<>();
    int k = ipc == null ? -1 : ipc;
    if (syn != null) {
      SyntheticSet set = SyntheticSetFile.read(syn).set();
      k = ipc == null ? set.ipc() : ipc;
      double setLr = lr != null ? lr : set.synLr();
      rows.add(new Row("distilled " + syn.getFileName(), set.ipc(), setLr,
          evaluate(m, set.toImageSet(), setLr, d, cfg, log)));
    }
    if (baseline.equals("random")) {
      SyntheticSet real = SyntheticSet.initReal(d.train(), d.numClasses(), k, lrTeacher,
          new SplittableRandom(baselineSeed));
      rows.add(new Row("random real (seed " + baselineSeed + ")", k, lrTeacher,
          evaluate(m, real.toImageSet(), lrTeacher, d, cfg, log)));
    }
    out.println(table(d, spec, cfg, rows));
    out.flush();
    return 0;
  }

  private EvalResult evaluate(Model m, ImageSet train, double learningRate, Dataset d,
      EvalConfig cfg, PrintWriter log) {
    log.printf("training %d networks on %d images for %d epochs (lr %.4g)...%n", cfg.runs(),
        train.count(), cfg.epochs(), learningRate);
    log.flush();
    return Evaluator.evaluate(m, train, learningRate, d.test(), cfg, runtime.sessionOptions());
  }

  static String table(Dataset d, ModelSpec spec, EvalConfig cfg, List<Row> rows) {
    StringBuilder s = new StringBuilder(String.format(
        "evaluation on %s test (%d images), %s-d%d-w%d, %d epochs, %d networks each%n",
        d.name(), d.test().count(), spec.name(), spec.depth(), spec.width(), cfg.epochs(),
        cfg.runs()));
    s.append(String.format("  %-34s %5s %10s  %s%n", "set", "ipc", "lr", "test accuracy"));
    for (Row r : rows) {
      s.append(String.format("  %-34s %5d %10.4g  %s%n", r.set(), r.ipc(), r.lr(),
          r.result()));
    }
    return s.toString();
  }
}
