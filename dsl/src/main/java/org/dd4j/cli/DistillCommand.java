package org.dd4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.dd4j.distill.BalancedInnerLoss;
import org.dd4j.distill.DistillConfig;
import org.dd4j.distill.FilterWisePerturbation;
import org.dd4j.distill.InnerLossTransform;
import org.dd4j.distill.IntermediateMatching;
import org.dd4j.distill.IntermediateWeights;
import org.dd4j.distill.LayerWisePerturbation;
import org.dd4j.distill.MatchingLoss;
import org.dd4j.distill.MatchingLosses;
import org.dd4j.distill.NormalizedParameterDistance;
import org.dd4j.distill.StartPerturbation;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.experiment.DataChoice;
import org.dd4j.experiment.DistillPlan;
import org.dd4j.experiment.EvaluationPlan;
import org.dd4j.experiment.Experiment;
import org.dd4j.experiment.ExperimentRunner;
import org.dd4j.experiment.ModelChoice;
import org.dd4j.models.ModelRegistry;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.RunLayout;
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
        "AST options (Shen et al. 2023): --matching intermediate, --balanced-loss, "
            + "--perturb-rho, --inner-momentum. FTD (Du et al. 2023): --ema-decay, which also "
            + "saves syn-ema-latest.arrow and syn-ema-final.arrow and evaluates the EMA set."})
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
      description = "Initial images: real (random real images of each class), noise, or "
          + "representative (AST: real images nearest K-Means centres of an expert's "
          + "embeddings, see --init-*) (default: ${DEFAULT-VALUE}).")
  String pixInit;

  @Mixin InitOptions init;

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

  @Option(names = {"--matching"}, defaultValue = "normalized", paramLabel = "LOSS",
      description = "Outer matching loss: normalized (MTT, ||w_N - w*||^2 / ||w_0 - w*||^2) or "
          + "intermediate (AST eq. 22: also matches student step floor(kN/M) to expert epoch "
          + "t + k, k = 1..M-1), or any registered name (default: ${DEFAULT-VALUE}).")
  String matching;

  @Option(names = {"--intermediate-weights"}, defaultValue = "equal", paramLabel = "W",
      description = "Weights beta_k of the intermediate terms: equal (1) or linear (k/M) "
          + "(default: ${DEFAULT-VALUE}).")
  String intermediateWeights;

  @Option(names = {"--balanced-loss"}, arity = "0..1", defaultValue = "off",
      fallbackValue = "paper", paramLabel = "LOG",
      description = "AST eq. 20: multiply every student step's cross-entropy by "
          + "nu(t, T+) (theta 8, middle T+/2); 'paper' (natural log, the value when the flag "
          + "is given alone) or 'code' (log base 5); off by default.")
  String balancedLoss;

  @Option(names = {"--perturb-rho"}, defaultValue = "0", paramLabel = "RHO",
      description = "AST eq. 23: perturb the expert start w_0 by RHO times the norm of each "
          + "conv filter (paper 0.1; relative size, dimensionless); 0 = off "
          + "(default: ${DEFAULT-VALUE}).")
  double perturbRho;

  @Option(names = {"--perturb-mode"}, defaultValue = "filter", paramLabel = "MODE",
      description = "How --perturb-rho scales the noise: filter (per conv output filter, the "
          + "paper) or layer (per conv layer, the authors' code, which uses rho 1) "
          + "(default: ${DEFAULT-VALUE}).")
  String perturbMode;

  @Option(names = {"--inner-momentum"}, defaultValue = "0", paramLabel = "MU",
      description = "Heavy-ball momentum of the student's unrolled SGD steps, in [0, 1); "
          + "the AST code uses 0.9; 0 = plain SGD as in MTT (default: ${DEFAULT-VALUE}).")
  double innerMomentum;

  @Option(names = {"--ema-decay"}, defaultValue = "0", paramLabel = "D",
      description = "FTD: keep an exponential moving average of the images, "
          + "ema <- D ema + (1 - D) images after every outer iteration, in [0, 1); FTD uses "
          + "0.999 to 0.9999; 0 = off (default: ${DEFAULT-VALUE}).")
  double emaDecay;

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

  @Option(names = {"--no-baseline"}, description = "Skip the final random-real baseline "
      + "evaluation (e.g. in an ablation whose rows share one baseline).")
  boolean noBaseline;

  @Mixin EvalOptions eval;
  @Mixin RuntimeOptions runtime;
  @Spec CommandSpec command;

  @Override
  public Integer call() {
    // the buffer's own architecture, by the label that names it in the registry
    ModelChoice student = new ModelChoice(
        ModelRegistry.label(BufferDirectory.open(buffer).manifest().model()), null, null);
    Path dir = out != null ? out : Path.of("runs", "distill", String.format("%s-ipc%d-%s",
        data.dataset.replaceAll("[^A-Za-z0-9._-]", "_"), ipc,
        buffer.toAbsolutePath().normalize().getFileName()));
    String name = String.valueOf(dir.toAbsolutePath().normalize().getFileName())
        .replaceAll("[^A-Za-z0-9._-]", "_");
    EvaluationPlan evaluation = new EvaluationPlan(List.of(student), evalConfig(), null, null,
        Map.of(), EvaluationPlan.Baselines.random(!noBaseline, seed), null);
    Experiment e = new Experiment(name, new DataChoice(data.dataset, data.preprocessing()),
        student, null, new DistillPlan(distillConfig(), saveEvery, evalEvery, buffer),
        evaluation);
    ExperimentRunner.Outcome outcome = new ExperimentRunner(runtime.sessionOptions(),
        command.commandLine().getErr()).run(e, RunLayout.phases(buffer, dir),
        new ExperimentRunner.Options(Set.of(), Set.of(), resume
            ? ExperimentRunner.Existing.RESUME : ExperimentRunner.Existing.REFUSE,
            !noProgress), Map.of());
    PrintWriter stdout = command.commandLine().getOut();
    stdout.println(outcome.text());
    stdout.flush();
    return 0;
  }

  /** The distillation settings from the options. */
  private DistillConfig distillConfig() {
    return DistillConfig.builder().ipc(ipc).synSteps(synSteps)
        .expertEpochs(expertEpochs).maxStartEpoch(maxStartEpoch).iterations(iterations)
        .lrImg(lrImg).lrLr(lrLr).lrTeacher(lrTeacher).batchSyn(batchSyn)
        .imageInit(init.resolve(pixInit, buffer, runtime.sessionOptions()))
        .dsaStrategy(dsa ? dsaStrategy : DistillConfig.NO_DSA).maxSynLrRatio(maxSynLrRatio)
        .matchingLoss(matchingLoss()).innerLoss(innerLoss())
        .startPerturbation(startPerturbation()).innerMomentum(innerMomentum)
        .emaDecay(emaDecay).seed(seed).build();
  }

  /** The evaluation protocol from the options. */
  private EvalConfig evalConfig() {
    return eval.config();
  }

  /** --matching and --intermediate-weights as a loss. */
  private MatchingLoss matchingLoss() {
    return switch (matching) {
      case "normalized", NormalizedParameterDistance.NAME -> new NormalizedParameterDistance();
      case IntermediateMatching.NAME -> new IntermediateMatching(
          IntermediateWeights.named(intermediateWeights));
      default -> MatchingLosses.create(matching);
    };
  }

  /** --balanced-loss as a transform. */
  private InnerLossTransform innerLoss() {
    return switch (balancedLoss) {
      case "off" -> InnerLossTransform.identity();
      case "paper" -> BalancedInnerLoss.paper();
      case "code" -> BalancedInnerLoss.authorsCode();
      default -> throw new IllegalArgumentException("--balanced-loss must be paper, code or "
          + "off, got '" + balancedLoss + "'");
    };
  }

  /** --perturb-rho and --perturb-mode as a perturbation. */
  private StartPerturbation startPerturbation() {
    if (perturbRho == 0) {
      return StartPerturbation.none();
    }
    return switch (perturbMode) {
      case "filter" -> new FilterWisePerturbation(perturbRho);
      case "layer" -> new LayerWisePerturbation(perturbRho);
      default -> throw new IllegalArgumentException("--perturb-mode must be filter or layer,"
          + " got '" + perturbMode + "'");
    };
  }
}
