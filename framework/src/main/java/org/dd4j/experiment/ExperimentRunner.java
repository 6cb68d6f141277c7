package org.dd4j.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.dd4j.Dd4jVersion;
import org.dd4j.augment.Augmentation;
import org.dd4j.augment.DsaAugmentation;
import org.dd4j.augment.DsaConfig;
import org.dd4j.buffer.BufferConfig;
import org.dd4j.buffer.BufferListener;
import org.dd4j.buffer.BufferPhase;
import org.dd4j.buffer.BufferSettings;
import org.dd4j.buffer.EpochLog;
import org.dd4j.buffer.MetricsFile;
import org.dd4j.buffer.ProgressBarListener;
import org.dd4j.data.Dataset;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.distill.DistillConfig;
import org.dd4j.distill.DistillListener;
import org.dd4j.distill.DistillPhase;
import org.dd4j.distribute.Engine;
import org.dd4j.engine.SessionOptions;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.evaluate.EvaluationPhase;
import org.dd4j.evaluate.EvaluationPlan;
import org.dd4j.evaluate.ResultRow;
import org.dd4j.evaluate.ResultTable;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;
import org.dd4j.monitor.BufferEvents;
import org.dd4j.monitor.DistillEvents;
import org.dd4j.report.RunReport;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.BufferData;
import org.dd4j.storage.BufferRecord;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.ConfigJson;
import org.dd4j.storage.DistillRecord;
import org.dd4j.storage.PhaseRecord;
import org.dd4j.settings.Settings;
import org.dd4j.settings.EventSettings;
import org.dd4j.storage.RunLayout;
import org.dd4j.storage.SyntheticSetFile;

/**
 * Runs an {@link Experiment}, phase after phase, in the directories of a {@link RunLayout}:
 * the one path of {@code dd4j run} and of the phase commands {@code dd4j buffer}, {@code dd4j
 * distill} and {@code dd4j evaluate}, which describe a one-phase experiment and call this.
 *
 * <p>Each phase writes its resolved configuration to its {@code config.json}. With {@link
 * Existing#REUSE_IF_UNCHANGED} (dd4j run) a phase whose outputs exist is reused only if that
 * recorded configuration equals the new one (ignoring {@link ConfigChanges#RUN_ONLY} keys);
 * otherwise the run stops before anything is written, naming the changed settings. An
 * interrupted distillation is resumed from its checkpoint, which itself refuses settings that
 * may not change on resume. A phase in {@link Options#force()} is deleted and redone, with
 * the phases that consume it.
 *
 * <p>The evaluation of the experiment's own distilled set appends its rows to the distill
 * directory's {@code eval.jsonl}, writes {@code summary.md} there and redraws its report.
 */
public final class ExperimentRunner {

  /**
   * What a run produced.
   *
   * @param layout where its files are
   * @param finalSet the distilled set ({@code distill/syn-final.arrow}), if there is one
   * @param rows the evaluation rows, in table order; empty without an evaluation
   * @param markdown the accuracy table as Markdown (as in summary.md); empty without rows
   * @param text the accuracy table as aligned text for a terminal; empty without rows
   */
  public record Outcome(RunLayout layout, Path finalSet, List<ResultRow> rows, String markdown,
      String text) {}

  /** What to do with outputs that an earlier run left in a phase's directory. */
  public enum Existing {
    /** dd4j run: reuse a phase whose recorded configuration matches, resume a distillation. */
    REUSE_IF_UNCHANGED,
    /** Continue: keep complete experts, resume the distillation from its checkpoint. */
    RESUME,
    /** Keep complete experts, but refuse to touch an existing distillation. */
    REFUSE
  }

  /**
   * How to run.
   *
   * @param only the phases to run (all when empty); the others' outputs must exist if needed
   * @param force phases to delete and redo (with the phases that consume them)
   * @param existing what to do with earlier outputs
   * @param progress whether long phases draw progress bars
   */
  public record Options(Set<Phase> only, Set<Phase> force, Existing existing,
      boolean progress) {
    public Options {
      only = only.isEmpty() ? EnumSet.allOf(Phase.class) : EnumSet.copyOf(only);
      force = force.isEmpty() ? EnumSet.noneOf(Phase.class) : EnumSet.copyOf(force);
    }
  }

  private final SessionOptions sessionOptions;
  private final PrintWriter log;

  /**
   * Runs the experts of a buffer phase and the networks of an evaluation phase as units of
   * {@code engine} (one Spark task per expert, and per (set, architecture, network), with the
   * Spark engine); a distributed engine rebuilds the experiment in each task from
   * {@code source}. Without this call (or with a local engine) they train in this JVM, one
   * after another. The distillation itself is one sequential loop and stays here.
   *
   * @return this runner
   */
  public ExperimentRunner withEngine(Engine engine, ExperimentSource source) {
    if (engine.distributed() && source == null) {
      throw new IllegalArgumentException("a distributed engine needs the experiment's "
          + "source (script and overrides) to rebuild it in its tasks");
    }
    this.engine = engine;
    this.source = source;
    return this;
  }

  /**
   * Prepares the dataset through the per-JVM cache that an engine's units share ({@link
   * org.dd4j.data.DataChoice#shared}), so that every run and unit in this JVM (the points of a
   * sweep, its buffer phase, the experts and networks of an embedded engine) loads and preprocesses
   * a dataset once, e.g. one ZCA fit instead of one per sweep point. The prepared data then stay in
   * memory for the JVM's life: for processes that run many units, not for a library caller running
   * one experiment after another on different data.
   *
   * @return this runner
   */
  public ExperimentRunner sharingData() {
    this.sharedData = true;
    return this;
  }

  private Engine engine;
  private ExperimentSource source;
  private boolean sharedData;

  /** @param log progress lines (stderr for the CLI) */
  public ExperimentRunner(SessionOptions sessionOptions, PrintWriter log) {
    this.sessionOptions = sessionOptions;
    this.log = log;
  }

  /**
   * Runs the experiment's phases that {@code options} selects.
   *
   * @param resolvedConfig written to {@code experiment.json} when the layout has a root: an
   *     {@link org.dd4j.storage.ExperimentRecord}'s {@code toMap}, i.e. where the experiment
   *     came from and {@link #describe(Experiment)}
   * @throws IllegalArgumentException if a phase left out is needed and its output is missing,
   *     or a setting conflicts with saved outputs (naming it, before anything is written)
   */
  public Outcome run(Experiment e, RunLayout layout, Options options,
      Map<String, Object> resolvedConfig) {
    Set<Phase> phases = options.only();
    Path bufferDir = e.distill() != null && e.distill().buffer() != null
        ? e.distill().buffer() : layout.buffer().dir();
    checkExternalBuffer(e);
    PreprocessingKinds.Prepared prepared = sharedData ? e.data().shared(log)
        : PreprocessingKinds.load(e.data().dataset(), e.data().preprocess(), log);
    Dataset d = prepared.data();
    ModelSpec spec = e.model().spec(d);
    EvalConfig evalConfig = e.evaluation() != null ? e.evaluation().config()
        : EvalConfig.from(Settings.defaults(EvalConfig.SCHEMA));

    boolean runBuffer = e.buffer() != null && phases.contains(Phase.BUFFER);
    boolean runDistill = e.distill() != null && phases.contains(Phase.DISTILL);
    boolean ownBuffer = e.distill() == null || e.distill().buffer() == null;
    Set<Phase> force = EnumSet.noneOf(Phase.class);
    force.addAll(options.force());
    if (force.contains(Phase.BUFFER) && ownBuffer) {
      force.add(Phase.DISTILL); // a redone buffer makes the distilled set stale
    }
    BufferRecord bufferConfig = e.buffer() == null ? null
        : bufferConfig(e, spec, augmentation(e.buffer(), spec));
    DistillRecord distillConfig = e.distill() == null ? null
        : distillConfig(e, spec, bufferDir, evalConfig);
    if (options.existing() == Existing.REUSE_IF_UNCHANGED) {
      if (bufferConfig != null && !force.contains(Phase.BUFFER) && (runBuffer || runDistill)) {
        checkUnchanged(Phase.BUFFER, layout.buffer().config(), bufferConfig);
      }
      if (distillConfig != null && !force.contains(Phase.DISTILL)
          && (runDistill || phases.contains(Phase.EVALUATE))) {
        checkUnchanged(Phase.DISTILL, layout.distill().config(), distillConfig);
      }
    }
    if (force.contains(Phase.BUFFER) && runBuffer) {
      delete(layout.buffer().dir());
    }
    if (force.contains(Phase.DISTILL) && runDistill) {
      delete(layout.distill().dir());
    }
    layout.experimentJson().ifPresent(f -> {
      try {
        Files.createDirectories(f.getParent());
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot create " + f.getParent(), ex);
      }
      write(f, ConfigJson.text(resolvedConfig));
    });

    BufferDirectory buffer = null;
    if (runBuffer) {
      buffer = runBuffer(e, prepared, spec, layout.buffer(), bufferConfig, options);
    } else if (runDistill) {
      buffer = existingBuffer(bufferDir, spec);
    }
    if (runDistill) {
      runDistill(e, prepared, spec, buffer, layout.distill(), distillConfig, evalConfig,
          options);
    }
    List<ResultRow> rows = new ArrayList<>();
    String markdown = "";
    String text = "";
    if (e.evaluation() != null && phases.contains(Phase.EVALUATE)) {
      EvaluationPhase phase = new EvaluationPhase(sessionOptions, log, engine);
      rows = phase.run(new EvaluationPhase.Job(e.evaluation(), e.data(),
          e.distill() != null ? e.distill().config().lrTeacher() : null), d, layout, bufferDir);
      String title = e.distill() == null ? e.name()
          : e.name() + " (" + e.distill().methodLabel() + ")";
      markdown = ResultTable.markdown(title, e.data().dataset(), evalConfig, rows)
          + phase.scoresMarkdown();
      text = (e.distill() == null ? "" : title + "\n")
          + ResultTable.text(d.name(), d.test().count(), evalConfig, rows)
          + phase.scoresMarkdown();
      if (e.distill() != null && e.evaluation().syntheticSet() == null) {
        if (tensorboard(e)) {
          DistillEvents.writeEvaluation(layout.distill().tensorboard(),
              e.distill().config().iterations(), rows);
        }
        write(layout.distill().summary(), markdown);
        report(layout.distill().dir());
      }
      if (e.distill() == null && e.evaluation().syntheticSet() != null
          && e.evaluation().results() != null && tensorboard(e)) {
        // a standalone evaluation: at the step of the set's recorded iterations (else 0)
        DistillEvents.writeEvaluation(RunLayout.evaluationEvents(e.evaluation().results()),
            (int) SyntheticSetFile.read(e.evaluation().syntheticSet()).iteration(), rows);
      }
    }
    return new Outcome(layout, layout.distill().synFinal(), rows, markdown, text);
  }

  // ---------------------------------------------------------------- checks before writing

  /** A buffer given by path must hold the experiment's dataset and preprocessing. */
  private static void checkExternalBuffer(Experiment e) {
    if (e.distill() != null && e.distill().buffer() != null) {
      BufferData.requireSameData(e.distill().buffer(), e.data());
    }
  }

  /** Stops the run if the phase's recorded config.json differs from the new one. */
  private static void checkUnchanged(Phase phase, Path recorded, PhaseRecord now) {
    if (!Files.isRegularFile(recorded)) {
      return;
    }
    List<String> changes = ConfigChanges.between(recorded, now);
    if (!changes.isEmpty()) {
      throw new IllegalArgumentException(String.format("the %s phase in %s was run with other "
              + "settings (%s); its outputs are left as they are. Use --out DIR for a new run "
              + "directory, or --force %s to redo the phase here", phase.id(),
          recorded.getParent(), String.join("; ", changes), phase.id()));
    }
  }

  /** Deletes {@code dir} and everything in it, if it exists (a phase's outputs, staging). */
  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot delete " + dir, ex);
    }
  }

  // ------------------------------------------------------------------------------ buffer

  private static Augmentation augmentation(BufferPlan plan, ModelSpec spec) {
    return plan.training().augment()
        ? new DsaAugmentation(DsaConfig.parse(plan.dsaStrategy()), spec.input(), plan.seed(),
            DsaAugmentation.Pairing.INDEPENDENT)
        : Augmentation.none();
  }

  /** The buffer phase's config.json: what it trains, on what, and how. */
  private BufferRecord bufferConfig(Experiment e, ModelSpec spec, Augmentation augmentation) {
    BufferPlan plan = e.buffer();
    return new BufferRecord(e.data().dataset(), e.data().resolvedPreprocess(), spec,
        plan.experts(), plan.trainImages(), plan.training().describe(),
        augmentation.describe(), plan.seed(), sessionOptions, Dd4jVersion.VERSION);
  }

  private BufferDirectory runBuffer(Experiment e, PreprocessingKinds.Prepared prepared,
      ModelSpec spec, RunLayout.Buffer files, BufferRecord config, Options options) {
    BufferPlan plan = e.buffer();
    BufferJob job = bufferJob(e, prepared, spec);
    Path dir = files.dir();
    try {
      Files.createDirectories(dir);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot create " + dir, ex);
    }
    write(files.config(), config.toJson());
    log.printf("buffer %s: %d experts x %d epochs of %s (%,d parameters)%n  optimizer %s%n"
            + "  objective %s%n", dir, plan.experts(), plan.training().epochs(),
        ModelRegistry.label(spec), ModelRegistry.create(spec).layout().totalSize(),
        plan.training().optimizer().describe(),
        plan.training().objective().describe(plan.training().epochs()));
    log.flush();
    List<BufferListener> listeners = new ArrayList<>();
    if (options.progress()) {
      listeners.add(new ProgressBarListener());
    }
    listeners.add(new MetricsFile(files.metrics()));
    listeners.add(new EpochLog(log, plan.training().epochs()));
    BufferPhase phase = new BufferPhase(job.config(), job.augmentation(), sessionOptions);
    BufferDirectory b;
    try (BufferEvents events = new BufferEvents(files.tensorboard(), config.toMap())) {
      if (tensorboard(e)) {
        listeners.add(events);
      }
      b = engine != null && engine.distributed()
          ? DistributedBuffer.run(engine, source, phase, job.data(), dir, sessionOptions, log)
          : phase.run(job.data(), dir, listeners);
    }
    report(dir);
    return b;
  }

  /**
   * What the buffer phase trains, on which images, with which augmentation: the same on the
   * driver and in every task of a distributed buffer.
   *
   * @param data the training images (the first trainImages of the split when set), test set
   * @param config experts, seed and training
   */
  record BufferJob(Dataset data, BufferConfig config, Augmentation augmentation) {}

  static BufferJob bufferJob(Experiment e, PreprocessingKinds.Prepared prepared,
      ModelSpec spec) {
    BufferPlan plan = e.buffer();
    Dataset data = prepared.data();
    if (plan.trainImages() > 0) {
      int all = data.train().count();
      if (plan.trainImages() > all) {
        throw new IllegalArgumentException(String.format("trainImages must be in 1..%d (the "
            + "training split), got %d", all, plan.trainImages()));
      }
      data = new Dataset(data.name(), data.train().select(
          IntStream.range(0, plan.trainImages()).toArray()), data.test(), data.classNames());
    }
    return new BufferJob(data, new BufferConfig(spec, e.data().dataset(),
        prepared.preprocessing().describe(), plan.training(), plan.experts(), plan.seed()),
        augmentation(plan, spec));
  }

  private static BufferDirectory existingBuffer(Path bufferDir, ModelSpec spec) {
    if (!Files.isRegularFile(new RunLayout.Buffer(bufferDir).manifest())) {
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

  // ----------------------------------------------------------------------------- distill

  /** The distillation phase's config.json, whichever front end started it. */
  private DistillRecord distillConfig(Experiment e, ModelSpec spec, Path bufferDir,
      EvalConfig evalConfig) {
    DistillPlan plan = e.distill();
    return new DistillRecord(plan.methodLabel(),
        bufferDir.toAbsolutePath().normalize().toString(), e.data().dataset(),
        e.data().resolvedPreprocess(), spec,
        ConfigJson.plain(distillSettings(plan, bufferDir).toMap()),
        ConfigJson.plainObject(evalConfig), sessionOptions, Dd4jVersion.VERSION);
  }

  /** The plan's settings, with an initialization that reads an expert bound to the buffer. */
  private DistillConfig distillSettings(DistillPlan plan, Path bufferDir) {
    DistillConfig config = plan.config();
    return config.toBuilder().imageInit(config.imageInit().forBuffer(
        plan.buffer() != null ? plan.buffer() : bufferDir, sessionOptions)).build();
  }

  private void runDistill(Experiment e, PreprocessingKinds.Prepared prepared, ModelSpec spec,
      BufferDirectory buffer, RunLayout.Distill files, DistillRecord config,
      EvalConfig evalConfig, Options options) {
    DistillPlan plan = e.distill();
    if (options.existing() == Existing.REUSE_IF_UNCHANGED
        && Files.isRegularFile(files.synFinal())) {
      log.printf("distill: %s is finished; reusing it (its settings are unchanged; --force "
          + "distill redoes it)%n", files.dir());
      log.flush();
      return;
    }
    Model student = ModelRegistry.create(spec);
    DistillPhase phase = new DistillPhase(student, distillSettings(plan, buffer.root()),
        sessionOptions);
    try (DistillEvents events = new DistillEvents(files.tensorboard(),
        prepared.preprocessing(), config.toMap())) {
      boolean tensorboard = tensorboard(e);
      List<DistillListener> listeners = new ArrayList<>();
      listeners.add(new InRunEvaluation(student, prepared.data().test(), evalConfig,
          sessionOptions, files, log, tensorboard ? events::onEvaluation : (row, it) -> { }));
      if (tensorboard) {
        listeners.add(events);
      }
      phase.run(prepared, buffer, files.dir(), new DistillPhase.Options(plan.saveEvery(),
              plan.evalEvery(), options.existing() != Existing.REFUSE, options.progress()),
          config.toMap(), log, listeners);
    }
    report(files.dir());
  }

  // ------------------------------------------------------------------------------ shared

  /**
   * Whether the run writes TensorBoard events: {@link EventSettings#TENSORBOARD}, off if any
   * phase of the experiment turns it off (buffer.tensorboard, distill.tensorboard, the plan
   * of a standalone evaluation), so one setting governs every phase.
   */
  static boolean tensorboard(Experiment e) {
    return (e.buffer() == null || e.buffer().tensorboard())
        && (e.distill() == null || e.distill().config().get(DistillConfig.TENSORBOARD))
        && (e.evaluation() == null || e.evaluation().tensorboard());
  }

  private void report(Path runDir) {
    RunReport r = RunReport.write(runDir);
    r.warnings().forEach(log::println);
    log.printf("report: %s%n", r.markdown());
    log.flush();
  }

  private static void write(Path file, String text) {
    try {
      AtomicFiles.writeString(file, text);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + file, ex);
    }
  }

  /** The resolved configuration of an experiment as plain JSON-ready values. */
  public static Map<String, Object> describe(Experiment e) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", e.name());
    c.put("dataset", e.data().dataset());
    c.put("preprocess", e.data().resolvedPreprocess());
    c.put("model", e.model());
    if (e.buffer() != null) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("experts", e.buffer().experts());
      b.put("training", e.buffer().training().describe());
      b.put("dsa_strategy", e.buffer().training().augment() ? e.buffer().dsaStrategy()
          : "none");
      b.put("seed", e.buffer().seed());
      if (e.buffer().trainImages() > 0) {
        b.put("train_images", e.buffer().trainImages());
      }
      if (!e.buffer().tensorboard()) { // run-only: recorded in experiment.json, not config.json
        b.put(BufferSettings.TENSORBOARD.name(), false);
      }
      c.put("buffer", b);
    }
    if (e.distill() != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", e.distill().methodLabel());
      m.put("config", e.distill().config().toMap());
      if (e.distill().buffer() != null) {
        m.put("buffer", e.distill().buffer().toAbsolutePath().normalize().toString());
      }
      c.put("distill", m);
    }
    if (e.evaluation() != null) {
      EvaluationPlan p = e.evaluation();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("models", p.models());
      m.put("config", p.config());
      m.put("random_baseline", p.randomBaseline());
      if (p.syntheticSet() != null) {
        m.put("synthetic_set", p.syntheticSet().toString());
      }
      if (p.synLr() != null) {
        m.put("syn_lr", p.synLr());
      }
      if (!p.modelLr().isEmpty()) {
        m.put("model_lr", p.modelLr());
      }
      m.put("baselines", p.baselines().names());
      if (p.scores().ddRanking()) {
        m.put("scores", p.scores());
      }
      c.put("evaluation", m);
    }
    c.put("dd4j_version", Dd4jVersion.VERSION);
    return ConfigJson.plain(c);
  }
}
