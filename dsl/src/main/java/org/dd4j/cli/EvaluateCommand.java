package org.dd4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.dd4j.data.DataChoice;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.evaluate.EvaluationPlan;
import org.dd4j.evaluate.ScoreConfig;
import org.dd4j.experiment.Experiment;
import org.dd4j.experiment.ExperimentRunner;
import org.dd4j.models.ModelChoice;
import org.dd4j.models.ModelRegistry;
import org.dd4j.select.Coreset;
import org.dd4j.select.CoresetRegistry;
import org.dd4j.settings.EventSettings;
import org.dd4j.settings.Settings;
import org.dd4j.storage.RunLayout;
import org.dd4j.storage.RunLock;
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
        + "batch 256, lr x0.1 after half the epochs with a new optimizer, DSA). With --models, on each of several "
        + "architectures (cross-architecture evaluation), baseline included."})
final class EvaluateCommand implements Callable<Integer>, CommandSource.Describes {

  @Option(names = {"--syn"}, paramLabel = "FILE",
      description = "A synthetic set saved by dd4j distill (.arrow); trained with its learned "
          + "syn_lr unless --lr is given, on the architecture it was distilled with (as its "
          + "file records it) unless --model, --depth, --width or --models is given. Or the "
          + "authors' images_best.pt with --labels labels_best.pt and --syn-lr LR or "
          + "--lr lr_best.pt (read as dd4j import set reads them).")
  Path syn;

  @Option(names = {"--labels"}, paramLabel = "FILE",
      description = "With --syn images_best.pt: labels_best.pt (int64 labels, or DATM's "
          + "label logits).")
  Path torchLabels;

  @Option(names = {"--syn-lr", "--syn_lr"}, paramLabel = "LR",
      description = "With --syn images_best.pt: the learned syn_lr (MTT saves none).")
  Double torchSynLr;

  @Option(names = {"--ipc"}, description = "Images per class of the baselines "
      + "(default: the synthetic set's).")
  Integer ipc;

  @Option(names = {"--baseline"}, defaultValue = "random", split = ",",
      paramLabel = "NAME",
      description = "Coreset baselines at the same ipc, comma-separated: random (random real "
          + "images, seeded), herding, k-center, k-means (AST's representative selection), "
          + "any registered coreset, or none; all but random embed the real images with "
          + "--buffer's expert (default: ${DEFAULT-VALUE}).")
  List<String> baselines;

  @Option(names = {"--buffer"}, paramLabel = "DIR",
      description = "Buffer whose expert (--embed-expert, final checkpoint) embeds the real "
          + "images for herding, k-center and k-means; trained on this dataset and "
          + "preprocessing.")
  Path buffer;

  @Option(names = {"--embed-expert"}, defaultValue = "0",
      description = "Expert of --buffer used for the embeddings (default: ${DEFAULT-VALUE}).")
  int embedExpert;

  @Option(names = {"--embedding"}, defaultValue = "features",
      description = "features (penultimate layer) or logits (default: ${DEFAULT-VALUE}).")
  String embedding;

  @Option(names = {"--lr"}, paramLabel = "LR|FILE", description = "Learning rate for the "
      + "synthetic set's networks (default: its learned syn_lr); with --syn images_best.pt "
      + "also DATM's lr_best.pt, whose value is then the set's syn_lr.")
  String lrOption;

  /** --lr as a number, or null. */
  private Double lr;

  @Option(names = {"--lr-teacher", "--lr_teacher"},
      description = "Learning rate for the baseline's networks (default: "
          + EvaluationPlan.Baselines.DEFAULT_LR + ").")
  Double lrTeacher;

  @Option(names = {"--models"}, split = ",", paramLabel = "NAME",
      description = "Evaluate on each of these architectures, e.g. "
          + "convnet,alexnet,vgg11,resnet18 (default: --model alone). --depth and --width "
          + "apply to the ConvNet ones.")
  List<String> models;

  @Option(names = {"--model-lr"}, split = ",", paramLabel = "NAME=LR",
      description = "Learning rate of the synthetic set's networks for some architectures, "
          + "e.g. resnet18=0.005 (default: --lr, else the learned syn_lr).")
  Map<String, Double> modelLr = new LinkedHashMap<>();

  @Option(names = {"--results"}, paramLabel = "FILE",
      description = "Also append each row, as soon as it is known, to this JSON Lines file "
          + "(set, model, ipc, lr, mean, std, accuracies; or diverged): a long "
          + "cross-architecture run keeps what it finished if it is stopped. With --syn, "
          + "the accuracies also go to TensorBoard event files in " + RunLayout.TENSORBOARD
          + "/ beside it (unless --no-tensorboard).")
  Path results;

  @Mixin DataOptions data;
  @Mixin ModelOptions model;
  @Mixin RuntimeOptions runtime;
  @Mixin EngineOptions engine;
  @Spec CommandSpec command;

  @Override
  public Integer call() {
    Experiment e = experiment();
    // nothing is written but --results; the layout only names --buffer for the embeddings
    RunLayout layout = RunLayout.phases(buffer != null ? buffer : Path.of("."), null);
    var log = command.commandLine().getErr();
    ExperimentRunner.Outcome outcome;
    try (RunLock lock = results != null ? RunLock.acquireFile(results) : null;
        var engine = EngineOptions.create(this.engine.choice(null), runtime, log, true)) {
      outcome = new ExperimentRunner(runtime.sessionOptions(), log)
          .withEngine(engine, CommandSource.of(command))
          .run(e, layout, new ExperimentRunner.Options(Set.of(), Set.of(),
              ExperimentRunner.Existing.REFUSE, false), Map.of());
    }
    command.commandLine().getOut().println(outcome.text());
    command.commandLine().getOut().flush();
    return 0;
  }

  /**
   * The evaluation-only experiment the options describe, its paths made absolute against the
   * working directory (a Spark executor parses the same arguments again, so on a cluster they
   * must be absolute or valid in the executors' working directory).
   *
   * @throws IllegalArgumentException for a missing --syn / --ipc, an unknown baseline, or a
   *     baseline that needs --buffer without it
   */
  @Override
  public Experiment experiment() {
    if (syn == null && ipc == null) {
      throw new IllegalArgumentException("give --syn FILE, or --ipc N for the baseline alone");
    }
    Path lrFile = null;
    if (lrOption != null) {
      try {
        lr = Double.valueOf(lrOption);
      } catch (NumberFormatException notANumber) {
        lrFile = Path.of(lrOption);
      }
    }
    if (syn != null && syn.getFileName().toString().endsWith(".pt")) {
      syn = ImportSetCommand.toTemporaryArrow(syn, torchLabels, torchSynLr, lrFile, data,
          command.commandLine().getErr());
    } else if (lrFile != null || torchLabels != null || torchSynLr != null) {
      throw new IllegalArgumentException("--labels, --syn-lr and --lr FILE go with --syn "
          + "images_best.pt; --lr otherwise takes a number, got " + lrOption);
    }
    List<String> names = baselines.stream().filter(b -> !b.equals("none")).toList();
    boolean needsBuffer = names.stream().map(CoresetRegistry::named) // throws for unknown
        .anyMatch(Coreset::usesEmbeddings);
    if (needsBuffer && buffer == null) {
      throw new IllegalArgumentException("--baseline " + String.join(",", baselines)
          + " needs --buffer DIR: a trained expert embeds the real images");
    }
    List<ModelChoice> nets = (models == null ? List.of(model.model) : models).stream()
        .map(n -> model.choice(n.strip())).toList();
    ModelChoice recorded = modelOptionsGiven() || syn == null ? null : recordedModel(syn);
    if (recorded != null) {
      nets = List.of(recorded);
    }
    Settings eval = DistillCommand.evalSettings(command);
    EvaluationPlan plan = new EvaluationPlan(nets, EvalConfig.from(eval), absolute(syn), lr,
        modelLr, new EvaluationPlan.Baselines(names, ipc, lrTeacher, eval.get(EvalConfig.SEED),
            absolute(buffer), embedExpert, embedding), absolute(results),
        ScoreConfig.from(eval), SettingOptions.value(command.commandLine().getParseResult(),
            EventSettings.TENSORBOARD, ""));
    return new Experiment("evaluate", new DataChoice(data.dataset, data.preprocessing()),
        nets.get(0), null, null, plan);
  }

  private boolean modelOptionsGiven() {
    var parsed = command.commandLine().getParseResult();
    return List.of("--model", "--depth", "--width", "--models").stream()
        .anyMatch(parsed::hasMatchedOption);
  }

  /** The architecture the set was distilled with (its file says), or null if it does not. */
  private static ModelChoice recordedModel(Path file) {
    return SyntheticSetFile.read(file).model()
        .map(spec -> new ModelChoice(ModelRegistry.label(spec), null, null)).orElse(null);
  }

  private static Path absolute(Path p) {
    return p == null ? null : p.toAbsolutePath().normalize();
  }
}
