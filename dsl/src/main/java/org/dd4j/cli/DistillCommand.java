package org.dd4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.dd4j.Dd4jVersion;
import org.dd4j.data.Dataset;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.distill.DistillConfig;
import org.dd4j.distill.DistillPhase;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.evaluate.EvalResult;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;
import org.dd4j.settings.Settings;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.synthetic.SyntheticSet;
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

  // The distillation settings (--ipc, --syn-steps, ..., --matching, --pix-init) and the
  // evaluation settings (--eval-epochs, ...) are added from DistillConfig.SCHEMA and
  // EvalConfig.SCHEMA by Dd4j.commandLine().

  @Option(names = {"--out"}, paramLabel = "DIR",
      description = "Run directory (default: runs/distill/<dataset>-ipc<ipc>-<buffer name>).")
  Path out;

  @Option(names = {"--resume"}, description = "Continue from the run directory's "
      + "checkpoint.bin (settings must match; lr_img, lr_lr and iterations may change).")
  boolean resume;

  @Option(names = {"--no-progress"}, description = "No progress bar.")
  boolean noProgress;

  @Mixin RuntimeOptions runtime;
  @Spec CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = command.commandLine().getErr();
    PrintWriter stdout = command.commandLine().getOut();
    BufferDirectory buf = BufferDirectory.open(buffer);
    var manifest = buf.manifest();
    Object bufferPrep = manifest.preprocessing().get("name");
    if (!manifest.dataset().equals(data.dataset)
        || !String.valueOf(bufferPrep).equals(data.preprocessing())) {
      throw new IllegalArgumentException(String.format("buffer %s was trained on %s with %s "
              + "preprocessing, but this run loads %s with %s; pass --dataset %s --preprocess "
              + "%s", buffer, manifest.dataset(), bufferPrep, data.dataset,
          data.preprocessing(), manifest.dataset(), bufferPrep));
    }
    PreprocessingKinds.Prepared prepared = data.load(log);
    Dataset d = prepared.data();
    ModelSpec spec = manifest.model();
    Model model = ModelRegistry.create(spec);
    DistillConfig config = distillConfig();
    EvalConfig evalConfig = evalConfig(command);
    int ipc = config.ipc();
    int iterations = config.iterations();
    double lrTeacher = config.lrTeacher();
    long seed = config.seed();
    Path dir = out != null ? out : Path.of("runs", "distill", String.format("%s-ipc%d-%s",
        data.dataset.replaceAll("[^A-Za-z0-9._-]", "_"), ipc,
        buffer.toAbsolutePath().normalize().getFileName()));
    DistillPhase phase = new DistillPhase(model, config, evalConfig, runtime.sessionOptions());
    DistillPhase.Result result = phase.run(prepared, buf, dir,
        new DistillPhase.Options(config.get(DistillConfig.SAVE_EVERY),
            config.get(DistillConfig.EVAL_EVERY), resume, !noProgress),
        runConfig(spec, config, evalConfig), log);
    SyntheticSet fin = result.set();
    EvalResult distilled = phase.evaluate(fin, d, log);
    DistillPhase.appendEval(dir, iterations, "distilled", fin.synLr(), distilled);
    List<EvaluateCommand.Row> rows = new ArrayList<>();
    String label = ModelRegistry.label(spec);
    rows.add(new EvaluateCommand.Row("distilled (syn-final.arrow)", ipc, label, fin.synLr(),
        distilled));
    if (result.ema().isPresent()) {
      SyntheticSet finEma = result.ema().get();
      EvalResult ema = phase.evaluate(finEma, d, log);
      DistillPhase.appendEval(dir, iterations, "distilled_ema", finEma.synLr(), ema);
      rows.add(new EvaluateCommand.Row("distilled EMA (syn-ema-final.arrow)", ipc, label,
          finEma.synLr(), ema));
    }
    if (evalSettings(command).get(EvalConfig.RANDOM_BASELINE)) {
      SyntheticSet real = SyntheticSet.initReal(d.train(), d.numClasses(), ipc, lrTeacher,
          new SplittableRandom(seed));
      EvalResult baseline = phase.evaluate(real, d, log);
      DistillPhase.appendEval(dir, iterations, "random_real", lrTeacher, baseline);
      rows.add(new EvaluateCommand.Row("random real (seed " + seed + ")", ipc, label,
          lrTeacher, baseline));
    }
    String table = EvaluateCommand.table(d, evalConfig, rows);
    AtomicFiles.writeString(dir.resolve("summary.txt"), table);
    stdout.println(table);
    stdout.flush();
    log.println(ReportCommand.describe(org.dd4j.report.RunReport.write(dir)));
    log.flush();
    return 0;
  }

  /** The distillation settings given on the command line, the rest at their defaults. */
  private DistillConfig distillConfig() {
    DistillConfig.Builder b = DistillConfig.builder();
    SettingOptions.apply(command.commandLine().getParseResult(), DistillConfig.SCHEMA, "",
        b::parse);
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

  static EvalConfig evalConfig(CommandSpec command) {
    return EvalConfig.from(evalSettings(command));
  }

  /** "mtt", with "+ast" when an AST distillation option is on and "+ftd-ema" for the EMA. */
  private static String method(DistillConfig c) {
    DistillConfig plain = DistillConfig.builder().build();
    boolean ast = !c.matchingLoss().describe().equals(plain.matchingLoss().describe())
        || !c.innerLoss().describe().equals(plain.innerLoss().describe())
        || !c.startPerturbation().describe().equals(plain.startPerturbation().describe())
        || c.innerMomentum() != 0;
    return "mtt" + (ast ? "+ast" : "") + (c.emaDecay() > 0 ? "+ftd-ema" : "");
  }

  private Map<String, Object> runConfig(ModelSpec spec, DistillConfig config,
      EvalConfig evalConfig) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("command", "distill");
    c.put("method", method(config));
    c.put("buffer", buffer.toAbsolutePath().normalize().toString());
    c.put("dataset", data.dataset);
    c.put("preprocess", data.preprocessing());
    c.put("model", spec);
    c.put("distill", config.toMap());
    c.put("evaluation", evalConfig);
    c.put("threads", runtime.sessionOptions());
    c.put("dd4j_version", Dd4jVersion.VERSION);
    return c;
  }
}
