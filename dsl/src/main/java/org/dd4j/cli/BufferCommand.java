package org.dd4j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.dd4j.buffer.ExpertTraining;
import org.dd4j.experiment.BufferPlan;
import org.dd4j.experiment.DataChoice;
import org.dd4j.experiment.Experiment;
import org.dd4j.experiment.ExperimentRunner;
import org.dd4j.experiment.ModelChoice;
import org.dd4j.models.ModelRegistry;
import org.dd4j.storage.RunLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dd4j buffer}: trains the expert trajectories (MTT's buffer.py). */
@Command(name = "buffer", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train E expert networks on the real training set and store their "
        + "parameters at initialization and after every epoch (the buffer of expert "
        + "trajectories, one Arrow file per expert).",
        "Experts already complete in the output directory are skipped, so an interrupted "
            + "run continues where it stopped."})
final class BufferCommand implements Callable<Integer> {

  @Mixin DataOptions data;
  @Mixin ModelOptions model;

  @Option(names = {"--experts", "--num_experts"}, defaultValue = "10",
      description = "E, the number of experts (MTT: 100) (default: ${DEFAULT-VALUE}).")
  int experts;

  @Option(names = {"--epochs", "--train_epochs"}, defaultValue = "50",
      description = "T, training epochs per expert; T + 1 snapshots are stored "
          + "(default: ${DEFAULT-VALUE}).")
  int epochs;

  @Mixin ExpertOptions expert;

  @Option(names = {"--batch-train", "--batch_train"}, defaultValue = "256",
      description = "Real images per expert step (default: ${DEFAULT-VALUE}).")
  int batchTrain;

  @Option(names = {"--train-images"}, paramLabel = "N",
      description = "Train the experts on the first N training images only (for quick "
          + "comparisons; preprocessing is still fitted on the whole split; recorded in "
          + "config.json) (default: all).")
  Integer trainImages;

  @Option(names = {"--dsa"}, negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Differentiable siamese augmentation of the training batches, as MTT's "
          + "buffer (default: on).")
  boolean dsa;

  @Option(names = {"--dsa-strategy", "--dsa_strategy"},
      defaultValue = "color_crop_cutout_flip_scale_rotate",
      description = "DSA op groups, one chosen per batch (default: ${DEFAULT-VALUE}).")
  String dsaStrategy;

  @Option(names = {"--seed"}, defaultValue = "0",
      description = "Run seed; expert i is seeded from (seed, i) (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = {"--out", "--buffer-path", "--buffer_path"}, paramLabel = "DIR",
      description = "Buffer directory (default: runs/buffers/<dataset>-<model>-d<D>-w<W>"
          + "-<preprocess>).")
  Path out;

  @Option(names = {"--no-progress"}, description = "No progress bar (logs per epoch only).")
  boolean noProgress;

  @Mixin RuntimeOptions runtime;

  @Spec CommandSpec command;

  @Override
  public Integer call() {
    ModelChoice choice = model.choice(model.model);
    Experiment e = new Experiment("buffer", new DataChoice(data.dataset, data.preprocessing()),
        choice, new BufferPlan(experts, expertTraining(), dsaStrategy, seed, trainImages),
        null, null);
    // the default directory names the model as the spec resolves it (depth and width)
    Path dir = out != null ? out : Path.of("runs", "buffers", String.format("%s-%s-%s",
        data.dataset.replaceAll("[^A-Za-z0-9._-]", "_"), defaultModelName(choice),
        data.preprocessing()));
    new ExperimentRunner(runtime.sessionOptions(), command.commandLine().getErr())
        .run(e, RunLayout.phases(dir, null), new ExperimentRunner.Options(Set.of(), Set.of(),
            ExperimentRunner.Existing.RESUME, !noProgress), Map.of());
    command.commandLine().getOut().println(InspectCommand.summary(dir));
    command.commandLine().getOut().flush();
    return 0;
  }

  /** The experts' training from --preset and the flags that override it. */
  private ExpertTraining expertTraining() {
    return expert.training(epochs, batchTrain, dsa);
  }

  /** "convnet-d3-w128" for a ConvNet (depth and width filled in), else the name. */
  private static String defaultModelName(ModelChoice c) {
    if (!ModelRegistry.takesDepthAndWidth(c.name())) {
      return c.name();
    }
    var spec = ModelRegistry.spec(c.name(), c.depth(), c.width(),
        new org.dd4j.models.InputShape(1, 1, 1), 2);
    return spec.name() + "-d" + spec.depth() + "-w" + spec.width();
  }
}
