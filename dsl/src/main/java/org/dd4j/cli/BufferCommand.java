package org.dd4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dd4j.augment.Augmentation;
import org.dd4j.augment.DsaAugmentation;
import org.dd4j.augment.DsaConfig;
import org.dd4j.buffer.BufferConfig;
import org.dd4j.buffer.BufferListener;
import org.dd4j.buffer.BufferPhase;
import org.dd4j.buffer.EpochLog;
import org.dd4j.buffer.ExpertTraining;
import org.dd4j.buffer.MetricsFile;
import org.dd4j.buffer.ProgressBarListener;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.models.ModelSpec;
import org.dd4j.storage.AtomicFiles;
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
  public Integer call() throws Exception {
    java.io.PrintWriter log = command.commandLine().getErr();
    PreprocessingKinds.Prepared prepared = data.load(log);
    org.dd4j.data.Dataset dataset = prepared.data();
    if (trainImages != null) {
      int all = dataset.train().count();
      if (trainImages <= 0 || trainImages > all) {
        throw new IllegalArgumentException(String.format(
            "--train-images must be in 1..%d (the training split), got %d", all, trainImages));
      }
      dataset = new org.dd4j.data.Dataset(dataset.name(), dataset.train().select(
          java.util.stream.IntStream.range(0, trainImages).toArray()), dataset.test(),
          dataset.classNames());
    }
    ModelSpec spec = model.spec(dataset);
    ExpertTraining training = expert.training(epochs, batchTrain, dsa);
    Augmentation augmentation = dsa ? new DsaAugmentation(DsaConfig.parse(dsaStrategy),
        spec.input(), seed, DsaAugmentation.Pairing.INDEPENDENT) : Augmentation.none();
    BufferConfig config = new BufferConfig(spec, data.dataset,
        prepared.preprocessing().describe(), training, experts, seed);
    Path dir = out != null ? out : Path.of("runs", "buffers", String.format("%s-%s-d%d-w%d-%s",
        data.dataset.replaceAll("[^A-Za-z0-9._-]", "_"), spec.name(), spec.depth(),
        spec.width(), data.preprocessing()));
    java.nio.file.Files.createDirectories(dir);
    writeConfig(dir.resolve("config.json"), spec, training, augmentation);
    log.printf("buffer %s: %d experts x %d epochs of %s-d%d-w%d (%,d parameters)%n"
            + "  optimizer %s%n  objective %s%n",
        dir, experts, epochs, spec.name(), spec.depth(), spec.width(),
        org.dd4j.models.ModelRegistry.create(spec).layout().totalSize(),
        training.optimizer().describe(), training.objective().describe(epochs));
    List<BufferListener> listeners = new ArrayList<>();
    if (!noProgress) {
      listeners.add(new ProgressBarListener());
    }
    listeners.add(new MetricsFile(dir.resolve("metrics.jsonl")));
    listeners.add(new EpochLog(log, epochs));
    new BufferPhase(config, augmentation, runtime.sessionOptions())
        .run(dataset, dir, listeners);
    log.println(ReportCommand.describe(org.dd4j.report.RunReport.write(dir)));
    command.commandLine().getOut().println(InspectCommand.summary(dir));
    command.commandLine().getOut().flush();
    return 0;
  }

  private void writeConfig(Path file, ModelSpec spec, ExpertTraining training,
      Augmentation augmentation) throws java.io.IOException {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("command", "buffer");
    c.put("dataset", data.dataset);
    c.put("preprocess", data.preprocessing());
    c.put("model", spec);
    c.put("experts", experts);
    c.put("train_images", trainImages == null ? "all" : trainImages);
    c.put("training", training.describe());
    c.put("augmentation", augmentation.describe());
    c.put("seed", seed);
    c.put("threads", runtime.sessionOptions());
    c.put("dd4j_version", org.dd4j.Dd4jVersion.VERSION);
    AtomicFiles.writeString(file, ConfigJson.text(c));
  }
}
