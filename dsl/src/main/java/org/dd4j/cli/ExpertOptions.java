package org.dd4j.cli;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.dd4j.buffer.ExpertRecipe;
import org.dd4j.settings.PieceArgs;
import org.dd4j.train.Training;
import picocli.CommandLine.Option;

/**
 * Flags that override fields of the buffer's {@code --preset} ({@link ExpertRecipe}: MTT,
 * FTD, AST). Unset flags keep the preset's value, so no default is written here; the resolved
 * recipe is what {@code config.json} and the trajectory metadata record.
 */
final class ExpertOptions {

  @Option(names = {"--optimizer"}, paramLabel = "sgd|gsam",
      description = "Expert optimizer: sgd (plain or momentum SGD), or gsam (FTD: GSAM "
          + "around that SGD step, spec 4a) (default: from --preset).")
  String optimizer;

  @Option(names = {"--lr-teacher", "--lr_teacher"},
      description = "Expert learning rate lr_teacher, applied to the parameters (default: "
          + "from --preset).")
  Double lrTeacher;

  @Option(names = {"--momentum", "--mom"},
      description = "Expert SGD momentum in [0, 1) (default: from --preset).")
  Double momentum;

  @Option(names = {"--weight-decay", "--l2"},
      description = "Expert L2 weight decay, added to the gradient as wd * w (default: from "
          + "--preset).")
  Double weightDecay;

  @Option(names = {"--lr-decay-epochs"}, split = ",", paramLabel = "EPOCH",
      description = "Epochs (0-based) at which lr_teacher is multiplied by "
          + "--lr-decay-factor, e.g. 25; epochs >= --epochs are ignored (default: from "
          + "--preset).")
  long[] lrDecayEpochs;

  @Option(names = {"--lr-decay-factor"},
      description = "lr_teacher factor at each decay epoch (default: from --preset).")
  Double lrDecayFactor;

  @Option(names = {"--rho"},
      description = "GSAM perturbation radius rho, dimensionless (adaptive: e = rho / "
          + "|| |w| g || * g * w^2) (default: from --preset). Needs --optimizer gsam.")
  Double rho;

  @Option(names = {"--alpha"},
      description = "GSAM surrogate-gap weight alpha (default: from --preset; FTD uses 1.0 "
          + "beyond CIFAR-10 ipc 1/10). Needs --optimizer gsam.")
  Double alpha;

  @Option(names = {"--loss-ramp-epochs"}, paramLabel = "EPOCHS",
      description = "AST's CE scale lambda_e: 0.5 at epoch 0 rising linearly to 1 at this "
          + "epoch, then 1; 0 = unscaled CE (default: from --preset).")
  Integer lossRampEpochs;

  @Option(names = {"--gp-mu"},
      description = "AST gradient-penalty weight mu on E[(||d sum(logits)/dx||_2 - K)^2], "
          + "on the un-augmented batch; 0 = off (default: from --preset).")
  Double gpMu;

  @Option(names = {"--gp-k"},
      description = "Gradient-penalty target norm K, logit units per input unit (default: "
          + "from --preset).")
  Double gpK;

  @Option(names = {"--gp-norm"}, paramLabel = "per-sample|per-pixel",
      description = "Over what the penalty's norm is taken: per-sample over H, W, C (AST "
          + "paper, eq. 19) or per-pixel over the channels (AST code) (default: from "
          + "--preset).")
  String gpNorm;

  /** {@code preset} with the flags given applied. */
  ExpertRecipe recipe(ExpertRecipe preset) {
    Map<String, String> o = new LinkedHashMap<>();
    put(o, "optimizer", optimizer);
    put(o, "lr_teacher", lrTeacher);
    put(o, "momentum", momentum);
    put(o, "weight_decay", weightDecay);
    put(o, "lr_decay_factor", lrDecayFactor);
    if (lrDecayEpochs != null) {
      o.put("lr_decay_epochs", Arrays.stream(lrDecayEpochs).mapToObj(Long::toString)
          .collect(Collectors.joining(" ")));
    }
    put(o, "rho", rho);
    put(o, "alpha", alpha);
    put(o, "loss_ramp_epochs", lossRampEpochs);
    put(o, "gp_mu", gpMu);
    put(o, "gp_k", gpK);
    put(o, "gp_norm", gpNorm);
    ExpertRecipe r = preset.with(PieceArgs.of("the expert flags", o));
    checkArgument(r.optimizer().equals("gsam") || (rho == null && alpha == null),
        "--rho and --alpha apply to --optimizer gsam, not sgd");
    return r;
  }

  /**
   * The resolved training settings.
   *
   * @throws IllegalArgumentException for an unknown preset, optimizer or norm, or GSAM flags
   *     without GSAM
   */
  Training training(ExpertRecipe preset, int epochs, int batchSize, boolean augment) {
    return recipe(preset).training(epochs, batchSize, augment);
  }

  private static void put(Map<String, String> o, String key, Object value) {
    if (value != null) {
      o.put(key, String.valueOf(value));
    }
  }
}
