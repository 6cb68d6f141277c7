package org.dd4j.experiment;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.dd4j.Dd4jVersion;
import org.dd4j.augment.Augmentation;
import org.dd4j.augment.DsaAugmentation;
import org.dd4j.augment.DsaConfig;
import org.dd4j.buffer.BufferConfig;
import org.dd4j.buffer.BufferListener;
import org.dd4j.buffer.BufferPhase;
import org.dd4j.buffer.EpochLog;
import org.dd4j.buffer.MetricsFile;
import org.dd4j.buffer.ProgressBarListener;
import org.dd4j.data.Dataset;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.distill.DistillPhase;
import org.dd4j.distill.RepresentativeInit;
import org.dd4j.engine.SessionOptions;
import org.dd4j.evaluate.EvalResult;
import org.dd4j.evaluate.Evaluator;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;
import org.dd4j.report.RunReport;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.ConfigJson;
import org.dd4j.storage.SyntheticSetFile;
import org.dd4j.synthetic.SyntheticSet;

/**
 * Runs an {@link Experiment} in one run directory, phase after phase, reusing what an
 * earlier run left there:
 *
 * <pre>
 * DIR/experiment.json   the resolved configuration (rewritten by every run)
 * DIR/buffer/           expert trajectories (complete experts are kept, missing ones trained)
 * DIR/distill/          checkpoint, metrics, syn-latest/syn-final.arrow, syn-final.png,
 *                       syn-ema-*.arrow with an image EMA (a finished run is reused, an
 *                       interrupted one resumed)
 * DIR/evaluation.jsonl  one line per (set, architecture) evaluated
 * DIR/summary.md        the accuracy table: distilled vs random real, per architecture
 * </pre>
 *
 * A changed setting that the saved outputs cannot honour (another model for the buffer,
 * other distillation settings for the checkpoint) stops the run with a message saying which
 * and what to do, before anything is overwritten.
 */
public final class ExperimentRunner {

  /** What a run produced. */
  public record Outcome(Path dir, Path finalSet, List<Row> rows) {}

  /** One line of the accuracy table. */
  public record Row(String set, String model, int ipc, double lr, EvalResult result) {}

  private final SessionOptions sessionOptions;
  private final PrintWriter log;
  private final boolean progress;

  /**
   * @param log progress lines (stderr for the CLI)
   * @param progress whether long phases draw progress bars
   */
  public ExperimentRunner(SessionOptions sessionOptions, PrintWriter log, boolean progress) {
    this.sessionOptions = sessionOptions;
    this.log = log;
    this.progress = progress;
  }

  /**
   * Runs the experiment's phases that are in {@code only} (all when empty).
   *
   * @param resolvedConfig written to {@code dir/experiment.json} (e.g. from
   *     {@link #describe(Experiment)} plus where the spec came from)
   * @throws IllegalArgumentException if a phase left out by {@code only} is needed and its
   *     output is missing, or a setting conflicts with saved outputs
   */
  public Outcome run(Experiment e, Path dir, Set<Phase> only,
      Map<String, Object> resolvedConfig) {
    Set<Phase> phases = only.isEmpty() ? EnumSet.allOf(Phase.class) : EnumSet.copyOf(only);
    try {
      Files.createDirectories(dir);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot create " + dir, ex);
    }
    write(dir.resolve("experiment.json"), ConfigJson.text(resolvedConfig));
    PreprocessingKinds.Prepared prepared = PreprocessingKinds.load(e.data().dataset(),
        e.data().preprocess(), log);
    Dataset d = prepared.data();
    ModelSpec spec = e.model().spec(d);

    Path bufferDir = dir.resolve("buffer");
    BufferDirectory buffer = null;
    if (e.buffer() != null && phases.contains(Phase.BUFFER)) {
      buffer = runBuffer(e, prepared, spec, bufferDir);
      report(bufferDir);
    } else if (e.distill() != null && phases.contains(Phase.DISTILL)) {
      buffer = existing(bufferDir, spec);
    }

    Path distillDir = dir.resolve("distill");
    Path finalSet = distillDir.resolve(DistillPhase.FINAL_SET);
    if (e.distill() != null && phases.contains(Phase.DISTILL)) {
      if (DistillPhase.finished(distillDir).isPresent()) {
        log.printf("distill: %s is finished; reusing it (delete the directory to redo it)%n",
            distillDir);
        log.flush();
      } else {
        DistillPlan plan = e.distill();
        var config = plan.config();
        if (config.imageInit() instanceof RepresentativeInit r) {
          // the experiment's own buffer, whatever path the spec was written with
          config = config.toBuilder().imageInit(new RepresentativeInit(bufferDir, r.expert(),
              r.embedding(), r.clustering(), sessionOptions)).build();
        }
        var evalConfig = e.evaluation() != null ? e.evaluation().config()
            : org.dd4j.evaluate.EvalConfig.mtt(300);
        new DistillPhase(ModelRegistry.create(spec), config, evalConfig, sessionOptions)
            .run(prepared, buffer, distillDir, new DistillPhase.Options(plan.saveEvery(),
                    plan.evalEvery(), true, progress), distillConfig(e, spec), log);
        report(distillDir);
      }
    }

    List<Row> rows = new ArrayList<>();
    if (e.evaluation() != null && phases.contains(Phase.EVALUATE)) {
      if (!Files.isRegularFile(finalSet)) {
        throw new IllegalArgumentException("no distilled set at " + finalSet + " to evaluate;"
            + " run the distill phase first (dd4j run without --only, or --only distill)");
      }
      rows = runEvaluation(e, d, finalSet, dir);
    }
    return new Outcome(dir, finalSet, rows);
  }

  private void report(Path runDir) {
    RunReport r = RunReport.write(runDir);
    log.printf("report: %s%n", r.markdown());
    log.flush();
  }


  private BufferDirectory runBuffer(Experiment e, PreprocessingKinds.Prepared prepared,
      ModelSpec spec, Path bufferDir) {
    BufferPlan plan = e.buffer();
    Augmentation augmentation = plan.training().augment()
        ? new DsaAugmentation(DsaConfig.parse(plan.dsaStrategy()), spec.input(), plan.seed(),
            DsaAugmentation.Pairing.INDEPENDENT)
        : Augmentation.none();
    BufferConfig config = new BufferConfig(spec, e.data().dataset(),
        prepared.preprocessing().describe(), plan.training(), plan.experts(), plan.seed());
    log.printf("buffer %s: %d experts x %d epochs of %s-d%d-w%d (%,d parameters)%n", bufferDir,
        plan.experts(), plan.training().epochs(), spec.name(), spec.depth(), spec.width(),
        ModelRegistry.create(spec).layout().totalSize());
    log.flush();
    List<BufferListener> listeners = new ArrayList<>();
    if (progress) {
      listeners.add(new ProgressBarListener());
    }
    try {
      Files.createDirectories(bufferDir);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot create " + bufferDir, ex);
    }
    listeners.add(new MetricsFile(bufferDir.resolve("metrics.jsonl")));
    listeners.add(new EpochLog(log, plan.training().epochs()));
    Dataset data = prepared.data();
    if (plan.trainImages() > 0) {
      checkArgument(plan.trainImages() <= data.train().count(), "buffer.train_images must be "
          + "at most the training split's %s images, got %s", data.train().count(),
          plan.trainImages());
      data = new Dataset(data.name(), data.train().select(
          java.util.stream.IntStream.range(0, plan.trainImages()).toArray()), data.test(),
          data.classNames());
    }
    return new BufferPhase(config, augmentation, sessionOptions).run(data, bufferDir,
        listeners);
  }

  private static BufferDirectory existing(Path bufferDir, ModelSpec spec) {
    if (!Files.isRegularFile(bufferDir.resolve("manifest.json"))) {
      throw new IllegalArgumentException("no buffer at " + bufferDir + "; run the buffer "
          + "phase first (dd4j run without --only, or --only buffer)");
    }
    BufferDirectory b = BufferDirectory.open(bufferDir, spec);
    if (b.completeExperts().isEmpty()) {
      throw new IllegalArgumentException("the buffer at " + bufferDir + " has no complete "
          + "expert yet; run the buffer phase first");
    }
    return b;
  }

  private List<Row> runEvaluation(Experiment e, Dataset d, Path finalSet, Path dir) {
    EvaluationPlan plan = e.evaluation();
    SyntheticSet distilled = SyntheticSetFile.read(finalSet).set();
    Path emaFile = finalSet.resolveSibling("syn-ema-final.arrow");
    SyntheticSet ema = Files.isRegularFile(emaFile) ? SyntheticSetFile.read(emaFile).set() : null;
    int ipc = distilled.ipc();
    double lrTeacher = e.distill().config().lrTeacher();
    SyntheticSet real = SyntheticSet.initReal(d.train(), d.numClasses(), ipc, lrTeacher,
        new SplittableRandom(plan.config().seed()));
    List<Row> rows = new ArrayList<>();
    for (ModelChoice choice : plan.models()) {
      ModelSpec spec = choice.spec(d);
      var model = ModelRegistry.create(spec);
      String arch = spec.name() + "-d" + spec.depth() + "-w" + spec.width();
      rows.add(evaluate("distilled", arch, model, distilled, d, plan));
      if (ema != null) {
        rows.add(evaluate("distilled EMA (FTD)", arch, model, ema, d, plan));
      }
      if (plan.randomBaseline()) {
        rows.add(evaluate("random real (seed " + plan.config().seed() + ")", arch, model,
            real, d, plan));
      }
    }
    String table = table(e, rows);
    write(dir.resolve("summary.md"), table);
    StringBuilder lines = new StringBuilder();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("set", r.set());
      m.put("model", r.model());
      m.put("ipc", r.ipc());
      m.put("lr", r.lr());
      m.put("mean", r.result().mean());
      m.put("std", r.result().std());
      m.put("accuracies", r.result().accuracies());
      lines.append(ConfigJson.line(m)).append('\n');
    }
    write(dir.resolve("evaluation.jsonl"), lines.toString());
    return rows;
  }

  private static void write(Path file, String text) {
    try {
      AtomicFiles.writeString(file, text);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + file, ex);
    }
  }

  private Row evaluate(String set, String arch, org.dd4j.models.Model model, SyntheticSet s,
      Dataset d, EvaluationPlan plan) {
    log.printf("evaluate %s on %s: %d networks x %d epochs on %d images (lr %.4g)...%n", set,
        arch, plan.config().runs(), plan.config().epochs(), s.count(), s.synLr());
    log.flush();
    EvalResult r = Evaluator.evaluate(model, s.toImageSet(), s.synLr(), d.test(),
        plan.config(), sessionOptions);
    log.printf("  %s%n", r);
    log.flush();
    return new Row(set, arch, s.ipc(), s.synLr(), r);
  }

  /** The accuracy table as Markdown. */
  public static String table(Experiment e, List<Row> rows) {
    EvaluationPlan plan = e.evaluation();
    StringBuilder s = new StringBuilder();
    s.append("# ").append(e.name()).append("\n\n");
    s.append(String.format("Test accuracy on the %s test split, %d networks per row, %d "
            + "epochs each, mean +- std.%n%n", e.data().dataset(), plan.config().runs(),
        plan.config().epochs()));
    s.append("| set | model | ipc | lr | test accuracy |\n|---|---|---|---|---|\n");
    for (Row r : rows) {
      s.append(String.format("| %s | %s | %d | %.4g | %.2f +- %.2f %% |%n", r.set(), r.model(),
          r.ipc(), r.lr(), 100 * r.result().mean(), 100 * r.result().std()));
    }
    return s.toString();
  }

  /** The resolved configuration of an experiment as plain JSON-ready values. */
  public static Map<String, Object> describe(Experiment e) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", e.name());
    c.put("dataset", e.data().dataset());
    c.put("preprocess", e.data().preprocess());
    c.put("model", e.model());
    if (e.buffer() != null) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("experts", e.buffer().experts());
      b.put("training", e.buffer().training().describe());
      b.put("dsa_strategy", e.buffer().training().augment() ? e.buffer().dsaStrategy()
          : "none");
      b.put("seed", e.buffer().seed());
      b.put("train_images", e.buffer().trainImages());
      c.put("buffer", b);
    }
    if (e.distill() != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("config", e.distill().config().toMap());
      m.put("save_every", e.distill().saveEvery());
      m.put("eval_every", e.distill().evalEvery());
      c.put("distill", m);
    }
    if (e.evaluation() != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("models", e.evaluation().models());
      m.put("config", e.evaluation().config());
      m.put("random_baseline", e.evaluation().randomBaseline());
      c.put("evaluation", m);
    }
    c.put("dd4j_version", Dd4jVersion.VERSION);
    return ConfigJson.plain(c);
  }

  private Map<String, Object> distillConfig(Experiment e, ModelSpec spec) {
    Map<String, Object> c = new LinkedHashMap<>(describe(e));
    c.put("command", "distill"); // what RunReport recognizes; "via" says who ran it
    c.put("via", "dd4j run");
    c.put("model_spec", ConfigJson.plain(Map.of("spec", spec)).get("spec"));
    c.put("threads", ConfigJson.plain(Map.of("t", sessionOptions)).get("t"));
    return c;
  }
}
