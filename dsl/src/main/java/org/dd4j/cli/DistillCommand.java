package org.dd4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.dd4j.data.DataChoice;
import org.dd4j.distill.DistillConfig;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.evaluate.EvaluationPlan;
import org.dd4j.evaluate.ScoreConfig;
import org.dd4j.experiment.DistillPlan;
import org.dd4j.experiment.Experiment;
import org.dd4j.experiment.ExperimentRunner;
import org.dd4j.experiment.MethodPreset;
import org.dd4j.models.ModelChoice;
import org.dd4j.models.ModelRegistry;
import org.dd4j.settings.Settings;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.RunLayout;
import org.dd4j.storage.RunLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dd4j distill}: MTT distillation from a buffer of expert trajectories, with AST's
 * distillation pieces (intermediate matching, balanced inner loss, start perturbation, inner
 * momentum) and FTD's image EMA as options.
 */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Learn a synthetic set (ipc images per class) and syn_lr by matching "
        + "expert trajectories (MTT, Cazenavette et al. 2022).",
        "The run directory gets config.json, metrics.jsonl, checkpoint.bin (every "
            + "--save-every iterations; --resume continues from it), syn-latest.arrow and "
            + "syn-final.arrow (the synthetic set), syn-*.png (image grids) and eval.jsonl; "
            + "at the end the set is evaluated beside random real images at the same ipc.",
        "AST options (Shen et al. 2023): --matching intermediate, --inner-loss balanced, "
            + "--start-perturbation filter-wise(rho=0.1), --inner-momentum 0.9. FTD (Du et al. 2023): --ema-decay, which also "
            + "saves syn-ema-latest.arrow and syn-ema-final.arrow and evaluates the EMA set."})
final class DistillCommand implements Callable<Integer> {

  @Option(names = {"--buffer", "--buffer-path", "--buffer_path"}, required = true,
      paramLabel = "DIR", description = "Buffer directory written by dd4j buffer.")
  Path buffer;

  @Mixin DataOptions data;

  @Mixin MethodOption method;

  // The distillation settings (--ipc, --syn-steps, ..., --matching, --pix-init) and the
  // evaluation settings (--eval-epochs, ...) are added from DistillConfig.SCHEMA and
  // EvalConfig.SCHEMA by Dd4j.commandLine().

  @Option(names = {"--out"}, paramLabel = "DIR",
      description = "Run directory (default: runs/distill/<dataset>-ipc<ipc>-<buffer name>).")
  Path out;

  @Option(names = {"--resume"}, description = "Continue from the run directory's "
      + "checkpoint.bin (settings must match, except those marked 'may change on resume').")
  boolean resume;

  @Option(names = {"--no-progress"}, description = "No progress bar.")
  boolean noProgress;

  @Mixin RuntimeOptions runtime;
  @Spec CommandSpec command;

  @Override
  public Integer call() {
    DistillConfig config = distillConfig();
    Settings eval = evalSettings(command);
    // the buffer's own architecture, by the label that names it in the registry
    ModelChoice student = new ModelChoice(
        ModelRegistry.label(BufferDirectory.open(buffer).manifest().model()), null, null);
    Path dir = out != null ? out : Path.of("runs", "distill", String.format("%s-ipc%d-%s",
        data.dataset.replaceAll("[^A-Za-z0-9._-]", "_"), config.ipc(),
        buffer.toAbsolutePath().normalize().getFileName()));
    String name = String.valueOf(dir.toAbsolutePath().normalize().getFileName())
        .replaceAll("[^A-Za-z0-9._-]", "_");
    EvaluationPlan evaluation = new EvaluationPlan(List.of(student), EvalConfig.from(eval),
        eval.get(EvalConfig.RANDOM_BASELINE), ScoreConfig.from(eval));
    Experiment e = new Experiment(name, new DataChoice(data.dataset, data.preprocessing()),
        student, null, new DistillPlan(config, buffer,
            method.preset().map(MethodPreset::name).orElse(null)),
        evaluation);
    ExperimentRunner.Outcome outcome;
    try (RunLock lock = RunLock.acquire(dir)) {
      outcome = new ExperimentRunner(runtime.sessionOptions(),
          command.commandLine().getErr()).run(e, RunLayout.phases(buffer, dir),
          new ExperimentRunner.Options(Set.of(), Set.of(), resume
              ? ExperimentRunner.Existing.RESUME : ExperimentRunner.Existing.REFUSE,
              !noProgress), Map.of());
    }
    PrintWriter stdout = command.commandLine().getOut();
    stdout.println(outcome.text());
    stdout.flush();
    return 0;
  }

  /** The distillation settings given on the command line, the rest at their defaults. */
  private DistillConfig distillConfig() {
    DistillConfig.Builder b = DistillConfig.builder();
    SettingOptions.apply(command.commandLine().getParseResult(), DistillConfig.SCHEMA, "",
        b::parse);
    method.preset().ifPresent(m -> m.applyToDistill(b));
    return b.imageInit(b.get(DistillConfig.IMAGE_INIT).forBuffer(buffer,
        runtime.sessionOptions())).build();
  }

  /** The evaluation settings given on {@code command}'s line ({@code --eval-*}). */
  static Settings evalSettings(CommandSpec command) {
    Settings.Builder b = Settings.builder(EvalConfig.SCHEMA);
    SettingOptions.apply(command.commandLine().getParseResult(), EvalConfig.SCHEMA, "eval-",
        b::parse);
    return b.build();
  }
}
