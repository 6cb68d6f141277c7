package org.dd4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.dd4j.Dd4jVersion;
import org.dd4j.data.Dataset;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.distill.Checkpoint;
import org.dd4j.distill.CheckpointPolicy;
import org.dd4j.distill.DistillConfig;
import org.dd4j.distill.DistillListener;
import org.dd4j.distill.DistillMetricsFile;
import org.dd4j.distill.DistillProgressBar;
import org.dd4j.distill.DistillState;
import org.dd4j.distill.Distiller;
import org.dd4j.distill.ImageInit;
import org.dd4j.distill.SkippedIteration;
import org.dd4j.distill.SyntheticSet;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.evaluate.EvalResult;
import org.dd4j.evaluate.Evaluator;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;
import org.dd4j.report.ImageGrid;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.SyntheticSetFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dd4j distill}: MTT distillation from a buffer of expert trajectories. */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Learn a synthetic set (ipc images per class) and syn_lr by matching "
        + "expert trajectories (MTT, Cazenavette et al. 2022).",
        "The run directory gets config.json, metrics.jsonl, checkpoint.bin (every "
            + "--save-every iterations; --resume continues from it), syn-latest.arrow and "
            + "syn-final.arrow (the synthetic set), syn-*.png (image grids) and eval.jsonl; "
            + "at the end the set is evaluated beside random real images at the same ipc."})
final class DistillCommand implements Callable<Integer> {

  @Option(names = {"--buffer", "--buffer-path", "--buffer_path"}, required = true,
      paramLabel = "DIR", description = "Buffer directory written by dd4j buffer.")
  Path buffer;

  @Mixin DataOptions data;

  @Option(names = {"--ipc"}, defaultValue = "10",
      description = "Synthetic images per class (default: ${DEFAULT-VALUE}).")
  int ipc;

  @Option(names = {"--syn-steps", "--syn_steps"}, defaultValue = "20",
      description = "N, student steps unrolled per iteration (default: ${DEFAULT-VALUE}).")
  int synSteps;

  @Option(names = {"--expert-epochs", "--expert_epochs"}, defaultValue = "2",
      description = "M, expert epochs between the start and the target "
          + "(default: ${DEFAULT-VALUE}).")
  int expertEpochs;

  @Option(names = {"--max-start-epoch", "--max_start_epoch"}, defaultValue = "20",
      description = "T+, start epochs are drawn from 0..T+-1 (default: ${DEFAULT-VALUE}).")
  int maxStartEpoch;

  @Option(names = {"--iterations", "--Iteration"}, defaultValue = "5000",
      description = "Outer distillation iterations (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = {"--lr-img", "--lr_img"}, defaultValue = "1000",
      description = "Learning rate of the synthetic pixels (default: ${DEFAULT-VALUE}).")
  double lrImg;

  @Option(names = {"--lr-lr", "--lr_lr"}, defaultValue = "1e-05",
      description = "Learning rate of syn_lr (default: ${DEFAULT-VALUE}).")
  double lrLr;

  @Option(names = {"--lr-teacher", "--lr_teacher"}, defaultValue = "0.01",
      description = "Initial syn_lr, the experts' learning rate (default: ${DEFAULT-VALUE}).")
  double lrTeacher;

  @Option(names = {"--batch-syn", "--batch_syn"}, defaultValue = "0",
      description = "Synthetic images per student step; 0 = all C*ipc "
          + "(default: ${DEFAULT-VALUE}).")
  int batchSyn;

  @Option(names = {"--pix-init", "--pix_init"}, defaultValue = "real",
      description = "Initial images: real (random real images of each class) or noise "
          + "(default: ${DEFAULT-VALUE}).")
  String pixInit;

  @Option(names = {"--dsa"}, negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "DSA on every student minibatch (default: on).")
  boolean dsa;

  @Option(names = {"--dsa-strategy", "--dsa_strategy"},
      defaultValue = "color_crop_cutout_flip_scale_rotate",
      description = "DSA op groups (default: ${DEFAULT-VALUE}).")
  String dsaStrategy;

  @Option(names = {"--max-syn-lr-ratio"}, defaultValue = "100",
      description = "An update that would take syn_lr above this multiple of lr_teacher is "
          + "skipped as exploding (default: ${DEFAULT-VALUE}).")
  double maxSynLrRatio;

  @Option(names = {"--seed"}, defaultValue = "0",
      description = "Seeds the initialization and every iteration (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = {"--out"}, paramLabel = "DIR",
      description = "Run directory (default: runs/distill/<dataset>-ipc<ipc>-<buffer name>).")
  Path out;

  @Option(names = {"--save-every"}, defaultValue = "100",
      description = "Iterations between checkpoints and saved sets (default: "
          + "${DEFAULT-VALUE}).")
  int saveEvery;

  @Option(names = {"--eval-every", "--eval_it"}, defaultValue = "0",
      description = "Iterations between evaluations during the run; 0 = only at the end "
          + "(default: ${DEFAULT-VALUE}).")
  int evalEvery;

  @Option(names = {"--resume"}, description = "Continue from the run directory's "
      + "checkpoint.bin (settings must match; lr_img, lr_lr and iterations may change).")
  boolean resume;

  @Option(names = {"--no-progress"}, description = "No progress bar.")
  boolean noProgress;

  @Mixin EvalOptions eval;
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
    DistillConfig config = DistillConfig.builder().ipc(ipc).synSteps(synSteps)
        .expertEpochs(expertEpochs).maxStartEpoch(maxStartEpoch).iterations(iterations)
        .lrImg(lrImg).lrLr(lrLr).lrTeacher(lrTeacher).batchSyn(batchSyn)
        .imageInit(ImageInit.named(pixInit)).dsaStrategy(dsa ? dsaStrategy
            : DistillConfig.NO_DSA).maxSynLrRatio(maxSynLrRatio).seed(seed).build();
    EvalConfig evalConfig = eval.config();
    Path dir = out != null ? out : Path.of("runs", "distill", String.format("%s-ipc%d-%s",
        data.dataset.replaceAll("[^A-Za-z0-9._-]", "_"), ipc,
        buffer.toAbsolutePath().normalize().getFileName()));
    Path checkpointFile = dir.resolve(Checkpoint.FILE_NAME);
    if (!resume && Files.exists(checkpointFile)) {
      throw new IllegalArgumentException(dir + " already holds a run (checkpoint.bin); pass "
          + "--resume to continue it, or --out to start another");
    }
    Files.createDirectories(dir);
    Map<String, Object> runConfig = ConfigJson.plain(runConfig(spec, config, evalConfig));
    AtomicFiles.writeString(dir.resolve("config.json"), ConfigJson.text(runConfig));

    try (Distiller distiller = new Distiller(model, config, runtime.sessionOptions())) {
      DistillState state = resume
          ? Checkpoint.load(checkpointFile, config)
          : distiller.start(distiller.initialSet(d));
      log.printf("distill %s: %s-d%d-w%d, ipc %d, N %d, M %d, T+ %d, %d iterations from %d "
              + "(buffer %s, %d experts)%n", dir, spec.name(), spec.depth(), spec.width(), ipc,
          synSteps, expertEpochs, maxStartEpoch, iterations, state.nextIteration(), buffer,
          buf.completeExperts().size());
      log.flush();
      List<DistillListener> listeners = new ArrayList<>();
      listeners.add(new DistillMetricsFile(dir.resolve("metrics.jsonl")));
      listeners.add(new DistillListener() {
        @Override
        public void onSkipped(SkippedIteration s) {
          log.printf("iteration %d skipped: %s (%d in a row)%n", s.iteration(), s.reason(),
              s.consecutive());
          log.flush();
        }
      });
      DistillProgressBar bar = noProgress ? null
          : new DistillProgressBar(state.nextIteration(), iterations);
      if (bar != null) {
        listeners.add(bar);
      }
      CheckpointPolicy policy = new CheckpointPolicy(checkpointFile, saveEvery);
      try {
        while (state.nextIteration() < iterations) {
          int until = nextBoundary(state.nextIteration());
          state = distiller.runUntil(buf, state, until, listeners, policy);
          SyntheticSetFile.write(dir.resolve("syn-latest.arrow"), state.set(), until,
              runConfig, prepared.preprocessing().describe());
          if (evalEvery > 0 && until % evalEvery == 0 && until < iterations) {
            EvalResult r = evaluate(model, state.set(), d, evalConfig, log);
            appendEval(dir, until, "distilled", state.set().synLr(), r);
            log.printf("iteration %d: distilled %s%n", until, r);
            log.flush();
          }
        }
      } finally {
        if (bar != null) {
          bar.close();
        }
      }
      SyntheticSet fin = state.set();
      SyntheticSetFile.write(dir.resolve("syn-final.arrow"), fin, iterations, runConfig,
          prepared.preprocessing().describe());
      ImageGrid.write(dir.resolve("syn-final.png"), fin, prepared.preprocessing(),
          ImageGrid.autoScale(fin.shape()));
      EvalResult distilled = evaluate(model, fin, d, evalConfig, log);
      appendEval(dir, iterations, "distilled", fin.synLr(), distilled);
      SyntheticSet real = SyntheticSet.initReal(d.train(), d.numClasses(), ipc, lrTeacher,
          new SplittableRandom(seed));
      EvalResult baseline = evaluate(model, real, d, evalConfig, log);
      appendEval(dir, iterations, "random_real", lrTeacher, baseline);
      String label = ModelRegistry.label(spec);
      String table = EvaluateCommand.table(d, evalConfig, List.of(
          new EvaluateCommand.Row("distilled (syn-final.arrow)", ipc, label, fin.synLr(),
              distilled),
          new EvaluateCommand.Row("random real (seed " + seed + ")", ipc, label, lrTeacher,
              baseline)));
      AtomicFiles.writeString(dir.resolve("summary.txt"), table);
      stdout.println(table);
      stdout.flush();
    }
    return 0;
  }

  /** The next iteration at which to stop and save (and maybe evaluate). */
  private int nextBoundary(int from) {
    int next = iterations;
    for (int every : new int[] {saveEvery, evalEvery}) {
      if (every > 0) {
        next = Math.min(next, (from / every + 1) * every);
      }
    }
    return next;
  }

  private EvalResult evaluate(Model model, SyntheticSet set, Dataset d, EvalConfig cfg,
      PrintWriter log) {
    log.printf("evaluating: %d networks x %d epochs on %d images...%n", cfg.runs(),
        cfg.epochs(), set.count());
    log.flush();
    return Evaluator.evaluate(model, set.toImageSet(), set.synLr(), d.test(),
        cfg, runtime.sessionOptions());
  }

  private static void appendEval(Path dir, int iteration, String set, double lr, EvalResult r)
      throws java.io.IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("iteration", iteration);
    m.put("set", set);
    m.put("lr", lr);
    m.put("mean", r.mean());
    m.put("std", r.std());
    m.put("accuracies", r.accuracies());
    Files.writeString(dir.resolve("eval.jsonl"), new ObjectMapper().writeValueAsString(m)
        + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private Map<String, Object> runConfig(ModelSpec spec, DistillConfig config,
      EvalConfig evalConfig) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("command", "distill");
    c.put("method", "mtt");
    c.put("buffer", buffer.toAbsolutePath().normalize().toString());
    c.put("dataset", data.dataset);
    c.put("preprocess", data.preprocessing());
    c.put("model", spec);
    c.put("distill", config);
    c.put("evaluation", evalConfig);
    c.put("save_every", saveEvery);
    c.put("eval_every", evalEvery);
    c.put("threads", runtime.sessionOptions());
    c.put("dd4j_version", Dd4jVersion.VERSION);
    return c;
  }
}
