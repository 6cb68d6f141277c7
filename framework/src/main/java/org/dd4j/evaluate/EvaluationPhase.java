package org.dd4j.evaluate;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dd4j.data.DataChoice;
import org.dd4j.data.Dataset;
import org.dd4j.data.ImageSet;
import org.dd4j.distribute.Engine;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.Model;
import org.dd4j.models.ModelChoice;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;
import org.dd4j.select.Coreset;
import org.dd4j.select.CoresetRegistry;
import org.dd4j.select.CoresetSelection;
import org.dd4j.select.EmbeddingLayer;
import org.dd4j.select.ExpertEmbedder;
import org.dd4j.storage.BufferData;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.EvalSets;
import org.dd4j.storage.RunLayout;
import org.dd4j.storage.SyntheticSetFile;
import org.dd4j.synthetic.SyntheticSet;

/**
 * The evaluation phase of an experiment (spec section 6), run by
 * {@code experiment.ExperimentRunner}: the experiment's
 * distilled set (and its EMA), or a given synthetic-set file, and the coreset baselines, each
 * trained into K networks of every architecture by {@link CrossArchitectureEvaluator}, so
 * that an architecture that diverges is a row like the others. Each row is logged, appended
 * to the plan's results file and, for the experiment's own set, to its eval.jsonl as soon as
 * it is known.
 */
public final class EvaluationPhase {

  private final SessionOptions sessionOptions;
  private final PrintWriter log;
  private final Engine engine;
  private String scores = "";

  /**
   * What is evaluated, on which data.
   *
   * @param plan the sets, architectures and protocol
   * @param data the dataset and preprocessing the run loaded (a distributed unit loads them
   *     again; a buffer read for embeddings or soft labels must match them)
   * @param distilledLrTeacher the distillation's lr_teacher (the baselines' default learning
   *     rate), or null when the experiment does not distill: then the plan's set is a given
   *     file or there is none
   */
  public record Job(EvaluationPlan plan, DataChoice data, Double distilledLrTeacher) {

    /** Whether the set evaluated is the experiment's own distilled set (syn-final.arrow). */
    boolean ownSet() {
      return plan.syntheticSet() == null && distilledLrTeacher != null;
    }
  }

  /**
   * @param engine where the networks train: a distributed engine runs one unit per (set,
   *     architecture, network), which prepares the data again in its executor; null or a local
   *     engine trains them here, one after another
   */
  public EvaluationPhase(SessionOptions sessionOptions, PrintWriter log, Engine engine) {
    this.sessionOptions = sessionOptions;
    this.log = log;
    this.engine = engine != null && engine.distributed() ? engine : null;
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
  public List<ResultRow> run(Job job, Dataset d, RunLayout layout, Path bufferDir) {
    EvaluationPlan plan = job.plan();
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
    boolean ownSet = job.ownSet();
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
          RunLayout.SYN_FINAL, SyntheticSetFile.read(files.synFinal()), files.synFinal(), plan,
          overrides));
      if (Files.isRegularFile(files.synEmaFinal())) {
        sets.add(synthetic(EvalSets.DISTILLED_EMA, EvalSets.name(EvalSets.DISTILLED_EMA),
            RunLayout.SYN_EMA_FINAL,
            SyntheticSetFile.read(files.synEmaFinal()), files.synEmaFinal(), plan, overrides));
      }
    }
    sets.addAll(baselines(job, d, sets.isEmpty() ? null : sets.get(0), bufferDir));

    if (plan.scores().ddRanking() && sets.isEmpty()) {
      throw new IllegalArgumentException("the DD-Ranking scores are of a synthetic set: give "
          + "--syn FILE (or evaluate a distilled run)");
    }
    if (plan.scores().ddRanking()) { // before any training: a missing accuracy fails fast
      Map.Entry<String, Model> net = nets.entrySet().iterator().next();
      new RankingScores(sessionOptions, log).fullData(job.data(), d, net.getKey(),
          net.getValue(), plan.config(), plan.scores(), baselineLr(job));
    }
    List<ResultRow> rows = new ArrayList<>();
    EvalConfig cfg = plan.config();
    List<List<CrossArchitectureEvaluator.ArchitectureResult>> gathered =
        engine != null ? distributed(job, sets, choices, layout) : List.of();
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
      scores = new RankingScores(sessionOptions, log).markdown(plan, job.data(), d,
          net.getKey(), net.getValue(), set,
          first.lrOverrides().getOrDefault(net.getKey(), first.lr()), baselineLr(job),
          plan.baselines().embedBuffer() != null ? plan.baselines().embedBuffer() : bufferDir);
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
      Job job, List<EvalSet> sets, Map<String, ModelChoice> choices, RunLayout layout) {
    EvalConfig cfg = job.plan().config();
    Path logs = logDir(job, layout);
    List<String> archs = new ArrayList<>(choices.keySet());
    List<NetworkUnit> units = new ArrayList<>();
    for (EvalSet s : sets) {
      for (String arch : archs) {
        double lr = s.lrOverrides().getOrDefault(arch, s.lr());
        for (int k = 0; k < cfg.runs(); k++) {
          units.add(new NetworkUnit(job.data(), cfg, s.name(),
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

  private Path logDir(Job job, RunLayout layout) {
    try {
      if (job.ownSet()) {
        return layout.distill().dir().resolve("logs").toAbsolutePath();
      }
      if (job.plan().results() != null) {
        return job.plan().results().toAbsolutePath().getParent().resolve("logs");
      }
      return Files.createTempDirectory("dd4j-eval-logs");
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException("cannot create a directory for the task logs", ex);
    }
  }

  /** The DD-Ranking scores of the last {@link #run} as Markdown, or "" if none were asked. */
  public String scoresMarkdown() {
    return scores;
  }

  /**
   * lr_teacher of the baselines: given, else the distillation's, else
   * {@link EvaluationPlan.Baselines#DEFAULT_LR}.
   */
  private static double baselineLr(Job job) {
    EvaluationPlan.Baselines b = job.plan().baselines();
    return b.lr() != null ? b.lr() : job.distilledLrTeacher() != null
        ? job.distilledLrTeacher() : EvaluationPlan.Baselines.DEFAULT_LR;
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
  private List<EvalSet> baselines(Job job, Dataset d, EvalSet distilled,
      Path bufferDir) {
    EvaluationPlan.Baselines b = job.plan().baselines();
    List<Coreset> coresets = b.names().stream().map(CoresetRegistry::named).toList();
    if (coresets.isEmpty()) {
      return List.of();
    }
    int ipc = b.ipc() != null ? b.ipc() : distilled != null ? distilled.ipc() : -1;
    if (ipc < 1) {
      throw new IllegalArgumentException("the baselines need an ipc: give one, or a "
          + "synthetic set to take it from");
    }
    double lr = baselineLr(job);
    boolean embeds = coresets.stream().anyMatch(Coreset::usesEmbeddings);
    List<EvalSet> out = new ArrayList<>();
    try (ExpertEmbedder embedder = embeds ? embedder(job, d,
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
  private ExpertEmbedder embedder(Job job, Dataset d, Path dir) {
    EvaluationPlan.Baselines b = job.plan().baselines();
    BufferDirectory buf = BufferData.openMatching(dir, job.data(), d);
    log.printf("embedding the training images with expert %d of %s (%s)...%n",
        b.embedExpert(), dir, b.embedding());
    log.flush();
    return ExpertEmbedder.fromBuffer(buf, b.embedExpert(), EmbeddingLayer.named(b.embedding()),
        sessionOptions);
  }
}
