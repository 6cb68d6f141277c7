package org.dd4j.cli;

import org.dd4j.augment.DsaConfig;
import org.dd4j.buffer.BufferSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.dd4j.train.Training;
import org.dd4j.experiment.BufferPlan;
import org.dd4j.data.DataChoice;
import org.dd4j.experiment.Experiment;
import org.dd4j.experiment.ExperimentRunner;
import org.dd4j.models.ModelChoice;
import org.dd4j.models.ModelRegistry;
import org.dd4j.settings.Settings;
import org.dd4j.storage.RunLayout;
import org.dd4j.storage.RunLock;
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
final class BufferCommand implements Callable<Integer>, CommandSource.Describes {

  @Mixin DataOptions data;
  @Mixin ModelOptions model;

  // The buffer settings (--experts, --epochs, --batch-train, --dsa, --seed, --train-images,
  // --[no-]tensorboard)
  // are added from BufferSettings.SCHEMA by Dd4j.commandLine().

  @Mixin ExpertOptions expert;

  @Mixin MethodOption method;

  @Option(names = {"--out", "--buffer-path", "--buffer_path"}, paramLabel = "DIR",
      description = "Buffer directory (default: runs/buffers/<dataset>-<model>-d<D>-w<W>"
          + "-<preprocess>).")
  Path out;

  @Option(names = {"--no-progress"}, description = "No progress bar (logs per epoch only).")
  boolean noProgress;

  @Mixin RuntimeOptions runtime;
  @Mixin EngineOptions engine;

  @Spec CommandSpec command;

  @Override
  public Integer call() {
    Experiment e = experiment();
    // the default directory names the model as the spec resolves it (depth and width)
    Path dir = out != null ? out : Path.of("runs", "buffers", String.format("%s-%s-%s",
        data.dataset.replaceAll("[^A-Za-z0-9._-]", "_"), defaultModelName(e.model()),
        e.data().resolvedPreprocess())); // normalize-reference or -fitted, never normalize
    var log = command.commandLine().getErr();
    try (RunLock lock = RunLock.acquire(dir);
        var engine = EngineOptions.create(this.engine.choice(null), runtime, log,
            !noProgress)) {
      new ExperimentRunner(runtime.sessionOptions(), log)
          .withEngine(engine, CommandSource.of(command))
          .run(e, RunLayout.phases(dir, null), new ExperimentRunner.Options(Set.of(),
              Set.of(), ExperimentRunner.Existing.RESUME, !noProgress), Map.of());
    }
    command.commandLine().getOut().println(InspectCommand.summary(dir));
    command.commandLine().getOut().flush();
    return 0;
  }

  /** The one-phase experiment the options describe. */
  @Override
  public Experiment experiment() {
    Settings.Builder sb = Settings.builder(BufferSettings.SCHEMA);
    SettingOptions.apply(command.commandLine().getParseResult(), BufferSettings.SCHEMA, "",
        sb::parse);
    method.preset().ifPresent(m -> m.applyToBuffer(sb));
    Settings settings = sb.build();
    String dsa = settings.get(BufferSettings.DSA);
    Training training = expert.training(settings.get(BufferSettings.PRESET),
        settings.get(BufferSettings.EPOCHS),
        settings.get(BufferSettings.BATCH_TRAIN), !dsa.equals(DsaConfig.NONE));
    ModelChoice choice = model.choice(model.model);
    Experiment e = new Experiment("buffer", new DataChoice(data.dataset, data.preprocessing()),
        choice, new BufferPlan(settings.get(BufferSettings.EXPERTS), training,
            dsa.equals(DsaConfig.NONE) ? DsaConfig.DEFAULT_STRATEGY : dsa,
            settings.get(BufferSettings.SEED), settings.get(BufferSettings.TRAIN_IMAGES),
            settings.get(BufferSettings.TENSORBOARD)),
        null, null);
    return e;
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
