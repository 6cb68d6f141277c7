package org.dd4j.experiment;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dd4j.data.Dataset;
import org.dd4j.data.ImageSet;
import org.dd4j.distribute.Engine;
import org.dd4j.synthetic.SyntheticSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.evaluate.CrossArchitectureEvaluator;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.evaluate.EvalResult;
import org.dd4j.evaluate.Evaluator;
import org.dd4j.evaluate.ResultRow;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;
import org.dd4j.select.Coreset;
import org.dd4j.select.CoresetRegistry;
import org.dd4j.select.CoresetSelection;
import org.dd4j.select.EmbeddingLayer;
import org.dd4j.select.ExpertEmbedder;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.EvalSets;
import org.dd4j.storage.RunLayout;
import org.dd4j.storage.SyntheticSetFile;

/**
 * The evaluation phase of {@link ExperimentRunner} (spec section 6): the experiment's
 * distilled set (and its EMA), or a given synthetic-set file, and the coreset baselines, each
 * trained into K networks of every architecture by {@link CrossArchitectureEvaluator}, so
 * that an architecture that diverges is a row like the others. Each row is logged, appended
 * to the plan's results file and, for the experiment's own set, to its eval.jsonl as soon as
 * it is known.
 */
final class EvaluationPhase {

  private final SessionOptions sessionOptions;
  private final PrintWriter log;
  private final Engine engine;
  private final ExperimentSource source;
  private String scores = "";

  /**
   * @param engine where the networks train: a distributed engine runs one unit per (set,
   *     architecture, network), rebuilding the experiment from {@code source}; null or a local
   *     engine trains them here, one after another
   */
  EvaluationPhase(SessionOptions sessionOptions, PrintWriter log, Engine engine,
      ExperimentSource source) {
    this.sessionOptions = sessionOptions;
    this.log = log;
    this.engine = engine != null && engine.distributed() ? engine : null;
    this.source = source;
  }

  /**
   * A set to evaluate on every architecture; {@code file} (a synthetic set) or
   * {@code picked} (a baseline's training-split indices) is how a distributed unit finds it.
   */
  private record EvalSet(String id, String name, String source, ImageSet images,
      float[] labelLogits, int ipc, double lr, Map<String, Double> lrOverrides,
      Integer iteration, SyntheticSet set, Path file, int[] picked) {}

  /**
   * Evaluates the plan's sets on its architectures.
   *
   * @param layout where the experiment's own distilled set is (its rows are appended to its
   *     eval.jsonl)
   * @param bufferDir the buffer whose expert embeds the real images when the plan names none
   * @return the rows, set after set, each on every architecture in the plan's order
   */
  List<ResultRow> run(Experiment e, Dataset d, RunLayout layout, Path bufferDir) {
    EvaluationPlan plan = e.evaluation();
    Map<String, Model> nets = new LinkedHashMap<>(); // label -> model, in table order
    Map<String, String> labels = new LinkedHashMap<>(); // name as given -> label
    Map<String, ModelChoice> choices = new LinkedHashMap<>(); // label -> as the plan gives it
    for (ModelChoice m : plan.models()) {
      ModelSpec s = m.spec(d);
      nets.put(ModelRegistry.label(s), ModelRegistry.create(s));
      labels.put(m.name(), ModelRegistry.label(s));
      choices.put(ModelRegistry.label(s), m);
    }
    Map<String, Double> overrides = new LinkedHashMap<>();
    plan.modelLr().forEach((name, lr) -> {
      String label = labels.get(name);
      if (label == null) {
        label = ModelRegistry.label(new ModelChoice(name, null, null).spec(d));
      }
      if (!nets.containsKey(label)) {
        throw new IllegalArgumentException("a learning rate is given for " + name
            + ", which is not among the evaluated architectures " + nets.keySet());
      }
      overrides.put(label, lr);
    });

    List<EvalSet> sets = new ArrayList<>();
    boolean ownSet = plan.syntheticSet() == null && e.distill() != null;
    if (plan.syntheticSet() != null) {
      var loaded = SyntheticSetFile.read(plan.syntheticSet());
      sets.add(synthetic(EvalSets.DISTILLED, EvalSets.name(EvalSets.DISTILLED) + " "
          + plan.syntheticSet().getFileName(), null,
          loaded, plan.syntheticSet(), plan, overrides));
    } else if (ownSet) {
      RunLayout.Distill files = layout.distill();
      if (!Files.isRegularFile(files.synFinal())) {
        throw new IllegalArgumentException("no distilled set at " + files.synFinal() + " to "
            + "evaluate; run the distill phase first (dd4j run without --only, or --only "
            + "distill)");
      }
      sets.add(synthetic(EvalSets.DISTILLED, EvalSets.name(EvalSets.DISTILLED),
          RunLayout.SYN_FINAL, SyntheticSetFile.read(files.synFinal()), files.synFinal(), plan, overrides));
      if (Files.isRegularFile(files.synEmaFinal())) {
        sets.add(synthetic(EvalSets.DISTILLED_EMA, EvalSets.name(EvalSets.DISTILLED_EMA),
            RunLayout.SYN_EMA_FINAL,
            SyntheticSetFile.read(files.synEmaFinal()), files.synEmaFinal(), plan, overrides));
      }
    }
    sets.addAll(baselines(e, d, sets.isEmpty() ? null : sets.get(0), bufferDir));

    if (plan.scores().ddRanking() && sets.isEmpty()) {
      throw new IllegalArgumentException("the DD-Ranking scores are of a synthetic set: give "
          + "--syn FILE (or evaluate a distilled run)");
    }
    if (plan.scores().ddRanking()) { // before any training: a missing accuracy fails fast
      Map.Entry<String, Model> net = nets.entrySet().iterator().next();
      new RankingScores(sessionOptions, log).fullData(e, d, net.getKey(), net.getValue(),
          plan.config(), plan.scores(), baselineLr(e));
    }
    List<ResultRow> rows = new ArrayList<>();
    EvalConfig cfg = plan.config();
    List<List<CrossArchitectureEvaluator.ArchitectureResult>> gathered =
        engine != null ? distributed(e, sets, choices, layout) : List.of();
    for (int si = 0; si < sets.size(); si++) {
      EvalSet s = sets.get(si);
      CrossArchitectureEvaluator.Listener listener = new CrossArchitectureEvaluator.Listener() {
        @Override
        public void onArchitectureStart(String arch, Model m, double lr) {
          log.printf("%s: training %d %s networks on %d images for %d epochs "
              + "(lr %.4g, %s labels)...%n", s.name(), cfg.runs(), arch,
              s.images().count(), cfg.epochs(), lr,
              Evaluator.labelsUsed(s.labelLogits() != null, cfg));
          log.flush();
        }

        @Override
        public void onArchitectureDone(CrossArchitectureEvaluator.ArchitectureResult r) {
          ResultRow row = ResultRow.of(s.id(), s.name(), s.source(), s.ipc(), cfg.epochs(), r);
          log.printf("%s on %s: %s%n", s.name(), r.architecture(), row.accuracy());
          log.flush();
          if (plan.results() != null) {
            ResultRow.append(plan.results(), row.resultsLine());
          }
          if (ownSet) {
            ResultRow.append(layout.distill().eval(), row.evalLine(sets.get(0).iteration()));
          }
          rows.add(row);
        }
      };
      if (engine != null) {
        gathered.get(si).forEach(listener::onArchitectureDone);
      } else {
        CrossArchitectureEvaluator.evaluate(nets, s.images(), s.labelLogits(), s.lr(),
            s.lrOverrides(), d.test(), cfg, sessionOptions, listener);
      }
    }
    if (plan.scores().ddRanking()) {
      EvalSet first = sets.get(0);
      Map.Entry<String, Model> net = nets.entrySet().iterator().next();
      SyntheticSet set = first.set();
      scores = new RankingScores(sessionOptions, log).markdown(e, d, net.getKey(),
          net.getValue(), set, first.lrOverrides().getOrDefault(net.getKey(), first.lr()),
          baselineLr(e), e.evaluation().baselines().embedBuffer() != null
              ? e.evaluation().baselines().embedBuffer() : bufferDir);
    }
    return rows;
  }

  /**
   * Every network of every set and architecture as one unit of the engine (one Spark task
   * each), gathered into rows per set, in the order of {@code sets}, as
   * {@link CrossArchitectureEvaluator} makes them: an architecture with a diverged network is
   * a diverged row with the first failure. Task logs: {@code logs/eval-*.log} beside the
   * run's eval.jsonl, else beside the results file, else in a temporary directory.
   */
  private List<List<CrossArchitectureEvaluator.ArchitectureResult>> distributed(
      Experiment e, List<EvalSet> sets, Map<String, ModelChoice> choices, RunLayout layout) {
    EvalConfig cfg = e.evaluation().config();
    Path logs = logDir(e, layout);
    List<String> archs = new ArrayList<>(choices.keySet());
    List<NetworkUnit> units = new ArrayList<>();
    for (EvalSet s : sets) {
      for (String arch : archs) {
        double lr = s.lrOverrides().getOrDefault(arch, s.lr());
        for (int k = 0; k < cfg.runs(); k++) {
          units.add(new NetworkUnit(source, s.name(),
              s.file() != null ? s.file().toAbsolutePath().normalize().toString() : null,
              s.picked(), choices.get(arch), arch, lr, k, logs.resolve(String.format(
                  "eval-%s-%s-%02d.log", s.id(), arch, k)).toString(),
              sessionOptions.interOpThreads(), sessionOptions.graphOptimizations()));
        }
      }
    }
    log.printf("evaluation: %d networks (%d sets x %d architectures x %d) on %s, logs in %s%n",
        units.size(), sets.size(), archs.size(), cfg.runs(), engine.describe(), logs);
    log.flush();
    List<NetworkUnit.Outcome> outcomes = engine.run("evaluation", units);
    List<List<CrossArchitectureEvaluator.ArchitectureResult>> out = new ArrayList<>();
    int i = 0;
    for (EvalSet s : sets) {
      String labels = Evaluator.labelsUsed(s.labelLogits() != null, cfg);
      List<CrossArchitectureEvaluator.ArchitectureResult> rows = new ArrayList<>();
      for (String arch : archs) {
        double lr = s.lrOverrides().getOrDefault(arch, s.lr());
        double[] acc = new double[cfg.runs()];
        String failure = null;
        for (int k = 0; k < cfg.runs(); k++, i++) {
          NetworkUnit.Outcome o = outcomes.get(i);
          acc[k] = o.accuracy();
          failure = failure != null ? failure : o.failure();
        }
        rows.add(new CrossArchitectureEvaluator.ArchitectureResult(arch, lr,
            failure == null ? new EvalResult(acc) : null, failure, labels));
      }
      out.add(rows);
    }
    return out;
  }

  private Path logDir(Experiment e, RunLayout layout) {
    try {
      if (e.evaluation().syntheticSet() == null && e.distill() != null) {
        return layout.distill().dir().resolve("logs").toAbsolutePath();
      }
      if (e.evaluation().results() != null) {
        return e.evaluation().results().toAbsolutePath().getParent().resolve("logs");
      }
      return Files.createTempDirectory("dd4j-eval-logs");
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException("cannot create a directory for the task logs", ex);
    }
  }

  /** The DD-Ranking scores of the last {@link #run} as Markdown, or "" if none were asked. */
  String scoresMarkdown() {
    return scores;
  }

  /** lr_teacher of the baselines: given, else the distillation's, else 0.01. */
  private static double baselineLr(Experiment e) {
    EvaluationPlan.Baselines b = e.evaluation().baselines();
    return b.lr() != null ? b.lr()
        : e.distill() != null ? e.distill().config().lrTeacher() : 0.01;
  }

  private static EvalSet synthetic(String id, String name, String source,
      SyntheticSetFile.Loaded loaded, Path file, EvaluationPlan plan,
      Map<String, Double> overrides) {
    SyntheticSet s = loaded.set();
    return new EvalSet(id, name, source, s.toImageSet(), s.labelLogits(), s.ipc(),
        plan.synLr() != null ? plan.synLr() : s.synLr(), overrides, (int) loaded.iteration(),
        s, file, null);
  }

  /** The coreset baselines of the plan, at the synthetic set's ipc unless given. */
  private List<EvalSet> baselines(Experiment e, Dataset d, EvalSet distilled,
      Path bufferDir) {
    EvaluationPlan.Baselines b = e.evaluation().baselines();
    List<Coreset> coresets = b.names().stream().map(CoresetRegistry::named).toList();
    if (coresets.isEmpty()) {
      return List.of();
    }
    int ipc = b.ipc() != null ? b.ipc() : distilled != null ? distilled.ipc() : -1;
    if (ipc < 1) {
      throw new IllegalArgumentException("the baselines need an ipc: give one, or a "
          + "synthetic set to take it from");
    }
    double lr = baselineLr(e);
    boolean embeds = coresets.stream().anyMatch(Coreset::usesEmbeddings);
    List<EvalSet> out = new ArrayList<>();
    try (ExpertEmbedder embedder = embeds ? embedder(e, d,
        b.embedBuffer() != null ? b.embedBuffer() : bufferDir) : null) {
      for (Coreset c : coresets) {
        int[] picked = CoresetSelection.select(c, d.train(), d.numClasses(), ipc, embedder,
            new SplittableRandom(b.seed()));
        String name = c.id().equals("random") ? EvalSets.randomRealName(b.seed())
            : c.usesEmbeddings() ? c.id() + " (expert " + b.embedExpert() + ", "
                + b.embedding() + ")"
            : c.id();
        out.add(new EvalSet(c.id().equals("random") ? EvalSets.RANDOM_REAL : c.id(), name, null,
            d.train().select(picked), null, ipc, lr, Map.of(),
            distilled != null ? distilled.iteration() : null, null, null, picked));
      }
    }
    return out;
  }

  /** The embedder of a buffer's expert, after checking the buffer fits the loaded data. */
  private ExpertEmbedder embedder(Experiment e, Dataset d, Path dir) {
    EvaluationPlan.Baselines b = e.evaluation().baselines();
    BufferDirectory buf = openMatching(e, d, dir);
    log.printf("embedding the training images with expert %d of %s (%s)...%n",
        b.embedExpert(), dir, b.embedding());
    log.flush();
    return ExpertEmbedder.fromBuffer(buf, b.embedExpert(), EmbeddingLayer.named(b.embedding()),
        sessionOptions);
  }

  /**
   * The buffer at {@code dir}, whose experts read this run's data (embeddings, soft labels).
   *
   * @throws IllegalArgumentException if it was trained on another dataset or preprocessing,
   *     or its model takes other images or classes
   */
  static BufferDirectory openMatching(Experiment e, Dataset d, Path dir) {
    BufferDirectory buf = BufferDirectory.open(dir);
    var manifest = buf.manifest();
    Object prep = manifest.preprocessing().get("name");
    if (!manifest.dataset().equals(e.data().dataset())
        || !e.data().matchesRecorded(prep)) {
      throw new IllegalArgumentException(String.format("buffer %s was trained on %s with %s "
              + "preprocessing, but this run loads %s with %s", dir, manifest.dataset(), prep,
          e.data().dataset(), e.data().resolvedPreprocess()));
    }
    ModelSpec ms = manifest.model();
    InputShape in = new InputShape(d.train().height(), d.train().width(),
        d.train().channels());
    if (!ms.input().equals(in) || ms.numClasses() != d.numClasses()) {
      throw new IllegalArgumentException(String.format("buffer %s's model takes %s images "
          + "and %d classes, the data has %s and %d", dir, ms.input(), ms.numClasses(), in,
          d.numClasses()));
    }
    return buf;
  }
}
