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
import org.dd4j.buffer.BufferSettings;
import org.dd4j.buffer.EpochLog;
import org.dd4j.buffer.ExpertTraining;
import org.dd4j.buffer.MetricsFile;
import org.dd4j.buffer.ProgressBarListener;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.models.ModelSpec;
import org.dd4j.settings.Settings;
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

  // The buffer settings (--experts, --epochs, --batch-train, --dsa, --seed, --train-images)
  // are added from BufferSettings.SCHEMA by Dd4j.commandLine().

  @Mixin ExpertOptions expert;

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
    Settings.Builder sb = Settings.builder(BufferSettings.SCHEMA);
    SettingOptions.apply(command.commandLine().getParseResult(), BufferSettings.SCHEMA, "",
        sb::parse);
    Settings settings = sb.build();
    int experts = settings.get(BufferSettings.EXPERTS);
    int epochs = settings.get(BufferSettings.EPOCHS);
    int trainImages = settings.get(BufferSettings.TRAIN_IMAGES);
    long seed = settings.get(BufferSettings.SEED);
    var dsa = DsaConfig.optional(settings.get(BufferSettings.DSA));
    PreprocessingKinds.Prepared prepared = data.load(log);
    org.dd4j.data.Dataset dataset = prepared.data();
    if (trainImages > 0) {
      int all = dataset.train().count();
      if (trainImages > all) {
        throw new IllegalArgumentException(String.format(
            "--train-images must be in 1..%d (the training split) or 0 (all), got %d", all, trainImages));
      }
      dataset = new org.dd4j.data.Dataset(dataset.name(), dataset.train().select(
          java.util.stream.IntStream.range(0, trainImages).toArray()), dataset.test(),
          dataset.classNames());
    }
    ModelSpec spec = model.spec(dataset);
    ExpertTraining training = expert.training(epochs, settings.get(BufferSettings.BATCH_TRAIN),
        dsa.isPresent());
    Augmentation augmentation = dsa.isPresent() ? new DsaAugmentation(dsa.get(),
        spec.input(), seed, DsaAugmentation.Pairing.INDEPENDENT) : Augmentation.none();
    BufferConfig config = new BufferConfig(spec, data.dataset,
        prepared.preprocessing().describe(), training, experts, seed);
    Path dir = out != null ? out : Path.of("runs", "buffers", String.format("%s-%s-d%d-w%d-%s",
        data.dataset.replaceAll("[^A-Za-z0-9._-]", "_"), spec.name(), spec.depth(),
        spec.width(), data.preprocessing()));
    java.nio.file.Files.createDirectories(dir);
    writeConfig(dir.resolve("config.json"), spec, settings, training, augmentation);
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

  private void writeConfig(Path file, ModelSpec spec, Settings settings,
      ExpertTraining training, Augmentation augmentation) throws java.io.IOException {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("command", "buffer");
    c.put("dataset", data.dataset);
    c.put("preprocess", data.preprocessing());
    c.put("model", spec);
    c.put("buffer", settings.toPlainMap());
    c.put("training", training.describe());
    c.put("augmentation", augmentation.describe());
    c.put("threads", runtime.sessionOptions());
    c.put("dd4j_version", org.dd4j.Dd4jVersion.VERSION);
    AtomicFiles.writeString(file, ConfigJson.text(c));
  }
}
