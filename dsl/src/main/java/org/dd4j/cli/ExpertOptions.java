package org.dd4j.cli;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.dd4j.buffer.ExpertObjective;
import org.dd4j.buffer.ExpertOptimizer;
import org.dd4j.buffer.ExpertTraining;
import org.dd4j.buffer.GradientPenalty;
import org.dd4j.buffer.Sgd;
import picocli.CommandLine.Option;

/**
 * How experts are trained: a preset (MTT, FTD, AST) whose settings each flag may override.
 * Unset flags take the preset's value; the resolved settings are what {@code config.json} and
 * the trajectory metadata record.
 */
final class ExpertOptions {

  /** The settings of one preset, as the flags name them. */
  record Preset(String optimizer, double lrTeacher, double momentum, double weightDecay,
      double lrDecayFactor, long lrDecayEpoch, double rho, double alpha, int lossRampEpochs,
      double gpMu, double gpK, GradientPenalty.Norm gpNorm) {}

  /** Each matches {@code ExpertTraining.mtt/ftd/ast/astCode} (checked by CliTest). */
  static final Map<String, Preset> PRESETS = Map.of(
      "mtt", new Preset("sgd", 0.01, 0, 0, 1, -1, 0.01, 0.3, 0, 0, 1,
          GradientPenalty.Norm.PER_SAMPLE),
      "ftd", new Preset("gsam", 0.01, 0, 0, 1, -1, 0.01, 0.3, 0, 0, 1,
          GradientPenalty.Norm.PER_SAMPLE),
      "ast", new Preset("sgd", 0.01, 0.9, 0, 0.5, 25, 0.01, 0.3, 5, 1, 1,
          GradientPenalty.Norm.PER_SAMPLE),
      "ast-code", new Preset("sgd", 0.003, 0.9, 0.001, 0.6, 26, 0.01, 0.3, 10, 2, 1,
          GradientPenalty.Norm.PER_PIXEL));

  @Option(names = {"--preset"}, defaultValue = "mtt", paramLabel = "mtt|ftd|ast|ast-code",
      description = {"Expert training recipe; the flags below override its settings "
          + "(default: ${DEFAULT-VALUE}).",
          "mtt: SGD lr 0.01, momentum 0, CE (MTT).",
          "ftd: mtt with GSAM, rho 0.01, alpha 0.3 (FTD).",
          "ast: SGD momentum 0.9, lr 0.01 halved at epoch 25, CE scaled 0.5->1 over 5 "
              + "epochs, gradient penalty mu 1, K 1, per-sample norm (AST paper).",
          "ast-code: momentum 0.9, lr 0.003 x0.6 at epoch 26, weight decay 0.001, CE ramp "
              + "over 10 epochs, penalty mu 2, K 1, per-pixel norm (AST's released code)."})
  String preset;

  @Option(names = {"--optimizer"}, paramLabel = "sgd|gsam",
      description = "Expert optimizer: sgd (plain or momentum SGD), or gsam (FTD: GSAM "
          + "around that SGD step, spec 4a) (default: from --preset).")
  String optimizer;

  @Option(names = {"--lr-teacher", "--lr_teacher"},
      description = "Expert learning rate lr_teacher, applied to the parameters (default: "
          + "from --preset; mtt 0.01).")
  Double lrTeacher;

  @Option(names = {"--momentum", "--mom"},
      description = "Expert SGD momentum in [0, 1) (default: from --preset; mtt 0, ast 0.9).")
  Double momentum;

  @Option(names = {"--weight-decay", "--l2"},
      description = "Expert L2 weight decay, added to the gradient as wd * w (default: from "
          + "--preset; mtt 0, ast-code 0.001).")
  Double weightDecay;

  @Option(names = {"--lr-decay-epochs"}, split = ",", paramLabel = "EPOCH",
      description = "Epochs (0-based) at which lr_teacher is multiplied by "
          + "--lr-decay-factor, e.g. 25; epochs >= --epochs are ignored (default: from "
          + "--preset; mtt none, ast 25).")
  long[] lrDecayEpochs;

  @Option(names = {"--lr-decay-factor"},
      description = "lr_teacher factor at each decay epoch (default: from --preset; ast 0.5, "
          + "ast-code 0.6; 0.5 when only --lr-decay-epochs is given).")
  Double lrDecayFactor;

  @Option(names = {"--rho"},
      description = "GSAM perturbation radius rho, dimensionless (adaptive: e = rho / "
          + "|| |w| g || * g * w^2) (default: 0.01). Needs --optimizer gsam.")
  Double rho;

  @Option(names = {"--alpha"},
      description = "GSAM surrogate-gap weight alpha (default: 0.3; FTD uses 1.0 beyond "
          + "CIFAR-10 ipc 1/10). Needs --optimizer gsam.")
  Double alpha;

  @Option(names = {"--loss-ramp-epochs"}, paramLabel = "EPOCHS",
      description = "AST's CE scale lambda_e: 0.5 at epoch 0 rising linearly to 1 at this "
          + "epoch, then 1 (5: 0.5, 0.6, ..., 0.9, 1; 10: 0.5, 0.55, ..., 0.95, 1); 0 = "
          + "unscaled CE (default: from --preset; ast 5, ast-code 10).")
  Integer lossRampEpochs;

  @Option(names = {"--gp-mu"},
      description = "AST gradient-penalty weight mu on E[(||d sum(logits)/dx||_2 - K)^2], "
          + "on the un-augmented batch; 0 = off (default: from --preset; ast 1, ast-code 2).")
  Double gpMu;

  @Option(names = {"--gp-k"},
      description = "Gradient-penalty target norm K, logit units per input unit (default: 1).")
  Double gpK;

  @Option(names = {"--gp-norm"}, paramLabel = "per-sample|per-pixel",
      description = "Over what the penalty's norm is taken: per-sample over H, W, C (AST "
          + "paper, eq. 19) or per-pixel over the channels (AST code) (default: from "
          + "--preset; per-sample).")
  String gpNorm;

  /**
   * The resolved training settings.
   *
   * @throws IllegalArgumentException for an unknown preset, optimizer or norm, or GSAM flags
   *     without GSAM
   */
  ExpertTraining training(int epochs, int batchSize, boolean augment) {
    Preset p = PRESETS.get(preset.toLowerCase(Locale.ROOT));
    checkArgument(p != null, "unknown --preset %s; known: mtt, ftd, ast, ast-code", preset);
    double lr = lrTeacher != null ? lrTeacher : p.lrTeacher();
    long[] decay = lrDecayEpochs != null ? lrDecayEpochs
        : p.lrDecayEpoch() >= 0 ? new long[] {p.lrDecayEpoch()} : new long[0];
    decay = Arrays.stream(decay).filter(e -> e < epochs).toArray();
    double factor = lrDecayFactor != null ? lrDecayFactor
        : p.lrDecayEpoch() >= 0 ? p.lrDecayFactor() : lrDecayEpochs != null ? 0.5 : 1;
    if (decay.length == 0) {
      factor = 1;
    }
    Sgd sgd = ExpertOptimizer.sgd(lr)
        .withMomentum(momentum != null ? momentum : p.momentum())
        .withWeightDecay(weightDecay != null ? weightDecay : p.weightDecay())
        .withLrDecay(factor, decay);
    String opt = (optimizer != null ? optimizer : p.optimizer()).toLowerCase(Locale.ROOT);
    ExpertOptimizer o;
    switch (opt) {
      case "sgd" -> {
        checkArgument(rho == null && alpha == null,
            "--rho and --alpha apply to --optimizer gsam, not sgd");
        o = sgd;
      }
      case "gsam" -> o = ExpertOptimizer.gsam(sgd, rho != null ? rho : p.rho(),
          alpha != null ? alpha : p.alpha());
      default -> throw new IllegalArgumentException(
          "unknown --optimizer " + optimizer + "; known: sgd, gsam");
    }
    int ramp = lossRampEpochs != null ? lossRampEpochs : p.lossRampEpochs();
    checkArgument(ramp >= 0, "--loss-ramp-epochs must be >= 0, got %s", ramp);
    ExpertObjective objective = ramp == 0 ? ExpertObjective.crossEntropy()
        : ExpertObjective.crossEntropy(org.dd4j.schedule.Schedule.linearRamp(0.5, 1.0, ramp));
    double mu = gpMu != null ? gpMu : p.gpMu();
    if (mu > 0) {
      objective = objective.plus(ExpertObjective.gradientPenalty(mu,
          gpK != null ? gpK : p.gpK(), gpNorm != null ? parseNorm(gpNorm) : p.gpNorm()));
    } else {
      checkArgument(mu == 0, "--gp-mu must be >= 0, got %s", mu);
    }
    return new ExpertTraining(epochs, batchSize, o, objective, augment);
  }

  private static GradientPenalty.Norm parseNorm(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "per-sample", "per_sample" -> GradientPenalty.Norm.PER_SAMPLE;
      case "per-pixel", "per_pixel" -> GradientPenalty.Norm.PER_PIXEL;
      default -> throw new IllegalArgumentException(
          "unknown --gp-norm " + s + "; known: per-sample, per-pixel");
    };
  }
}
