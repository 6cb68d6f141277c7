package org.dd4j.buffer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.dd4j.schedule.Schedule;
import org.dd4j.settings.PieceArgs;
import org.dd4j.settings.PieceRegistry;
import org.dd4j.train.GradientPenalty;
import org.dd4j.train.Gsam;
import org.dd4j.train.Objective;
import org.dd4j.train.Optimizer;
import org.dd4j.train.Sgd;
import org.dd4j.train.Training;

/**
 * How experts are trained, as flat settings: the named presets are defined here once, and any
 * field can be overridden by name, e.g. {@code ast(gp_mu=2, lr_teacher=0.005)} (the form
 * {@code --preset} and config.json use). {@link #training} turns a recipe into the
 * {@link Training} that {@link Training#mtt} and the other presets return.
 *
 * <p>The preset named after a method reproduces what produced its published tables (the
 * authors' code as their run scripts call it); {@code *-paper} follows the paper's text where
 * it differs (docs/methods.md lists every difference):
 * <ul>
 *   <li>{@code mtt}: MTT's buffer.py, SGD lr 0.01, no momentum or weight decay;
 *   <li>{@code ftd}: FTD's buffer_FTD.py as run_buffer.sh calls it, GSAM around that SGD,
 *       rho 0.01 (--rho_max/--rho_min), alpha 0.4 (argparse default);
 *       {@code ftd-paper}: alpha 0.3 (CIFAR-10 ipc 1/10);
 *   <li>{@code ast}: AST's buffer.py as buffer.sh calls it (neither --gp nor --loss_decay):
 *       SGD lr 0.003, momentum 0.9, weight decay 1e-3, cross-entropy only, lr x0.6 from
 *       epoch T // 2 + 2 on (0-based; after epoch index train_epochs // 2 + 1 is trained:
 *       epoch 27 of 50, 7 of 10; {@link #HALF}) with a new optimizer (momentum restarts);
 *       {@code ast-code} is an alias; the code's optional
 *       terms are {@code ast(gp_mu=2, loss_ramp_epochs=10)};
 *       {@code ast-paper}: section V-A, lr 0.01 halved at epoch 25, lambda_e ramp 0.5 -> 1
 *       over 5 epochs, gradient penalty mu 1, K 1, per-sample norm (eq. 19).
 * </ul>
 *
 * <p>References: spec sections 4, 4a, 4b.
 *
 * @param preset the preset this recipe started from
 * @param optimizer "sgd", or "gsam" (FTD: GSAM around the SGD step)
 * @param lrTeacher lr_teacher, the experts' learning rate, applied to the parameters, &gt; 0
 * @param momentum SGD momentum in [0, 1)
 * @param weightDecay L2 coefficient added to the gradient, &gt;= 0
 * @param lrDecayFactor lr_teacher factor at each decay epoch, &gt; 0
 * @param lrDecayEpochs epochs (0-based) at which lr_teacher decays; those &gt;= the training's
 *     epochs are ignored; null for the one epoch {@link #HALF} derives from the training's
 *     number of epochs
 * @param rho GSAM perturbation radius (dimensionless), &gt; 0
 * @param alpha GSAM surrogate-gap weight, &gt;= 0
 * @param lossRampEpochs AST's CE scale lambda_e rises linearly from 0.5 at epoch 0 to 1 at
 *     this epoch; 0 = unscaled CE
 * @param gpMu weight of AST's gradient penalty E[(||d sum(logits)/dx||_2 - K)^2]; 0 = off
 * @param gpK the penalty's target norm K (logit units per input unit)
 * @param gpNorm over what the penalty's norm is taken (paper: per sample; code: per pixel)
 * @param onLrDecay whether the momentum buffer restarts at a decay epoch ("new-optimizer",
 *     AST's code) or carries over ("keep")
 */
public record ExpertRecipe(String preset, String optimizer, double lrTeacher, double momentum,
    double weightDecay, double lrDecayFactor, long[] lrDecayEpochs, double rho, double alpha,
    int lossRampEpochs, double gpMu, double gpK, GradientPenalty.Norm gpNorm,
    Sgd.OnLrDecay onLrDecay) {

  /** The presets, each taking its fields as overrides: {@code ast(gp_k=0.25)}. */
  public static final PieceRegistry<ExpertRecipe> PRESETS = new PieceRegistry<>(
      "expert preset", ExpertRecipe.class, ExpertRecipe::describe);

  // lr_decay_factor 0.5 applies only once decay epochs are given
  private static final ExpertRecipe MTT = new ExpertRecipe("mtt", "sgd", 0.01, 0, 0, 0.5,
      new long[0], Gsam.DEFAULT_RHO, Gsam.DEFAULT_ALPHA, 0, 0, 1,
      GradientPenalty.Norm.PER_SAMPLE, Sgd.OnLrDecay.KEEP_MOMENTUM);
  /**
   * {@code lr_decay_epochs=T//2+2}: one decay, at 0-based epoch T // 2 + 2 of a training of T
   * epochs. AST's buffer.py ({@code lr_schedule = [args.train_epochs // 2 + 1]}; "if e in
   * lr_schedule: lr *= 0.6; teacher_optim = SGD(...)" after epoch e is trained), so epoch
   * T // 2 + 2 is the first at the new rate: 27 of 50, 7 of 10.
   */
  public static final String HALF = "T//2+2";

  private static final ExpertRecipe AST = new ExpertRecipe("ast", "sgd", 0.003, 0.9, 0.001,
      0.6, null, Gsam.DEFAULT_RHO, Gsam.DEFAULT_ALPHA, 0, 0, 1,
      GradientPenalty.Norm.PER_PIXEL, Sgd.OnLrDecay.NEW_OPTIMIZER);

  static {
    register(MTT);
    register(MTT.renamed("ftd").withOptimizer("gsam"));
    register(MTT.renamed("ftd-paper").withOptimizer("gsam").with(PieceArgs.of("ftd-paper",
        java.util.Map.of("alpha", "0.3"))));
    register(AST);
    PRESETS.register("ast-code", a -> AST.with(a)); // the former name of the code's recipe
    register(new ExpertRecipe("ast-paper", "sgd", 0.01, 0.9, 0, 0.5, new long[] {25},
        Gsam.DEFAULT_RHO, Gsam.DEFAULT_ALPHA, 5, 1, 1, GradientPenalty.Norm.PER_SAMPLE,
        Sgd.OnLrDecay.KEEP_MOMENTUM));
  }

  public ExpertRecipe {
    checkNotNull(preset, "preset");
    checkArgument(optimizer.equals("sgd") || optimizer.equals("gsam"),
        "optimizer must be sgd or gsam, got '%s'", optimizer);
    checkArgument(lrTeacher > 0 && Double.isFinite(lrTeacher), "lr_teacher must be > 0, got %s",
        lrTeacher);
    checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s",
        momentum);
    checkArgument(weightDecay >= 0, "weight_decay must be >= 0, got %s", weightDecay);
    checkArgument(lrDecayFactor > 0, "lr_decay_factor must be > 0, got %s", lrDecayFactor);
    lrDecayEpochs = lrDecayEpochs == null ? null : lrDecayEpochs.clone();
    checkArgument(lossRampEpochs >= 0, "loss_ramp_epochs must be >= 0, got %s",
        lossRampEpochs);
    checkArgument(gpMu >= 0, "gp_mu must be >= 0, got %s", gpMu);
    checkNotNull(gpNorm, "gpNorm");
    checkNotNull(onLrDecay, "onLrDecay");
  }

  private static void register(ExpertRecipe r) {
    PRESETS.register(r.preset(), a -> r.with(a));
  }

  /** A preset by description, e.g. "ast" or "ast(gp_k=0.25)". */
  /**
   * The training of preset {@code description} (e.g. "mtt", "ast(gp_k=0.25)") for
   * {@code epochs} epochs, batch 256, DSA on: {@code preset("mtt", 50)} is MTT's reference
   * (spec section 4), "ftd" FTD's code (4a), "ast" / "ast-paper" AST's code / paper (4b).
   *
   * @throws IllegalArgumentException for an unknown preset or argument
   */
  public static Training preset(String description, int epochs) {
    return named(description).training(epochs, 256, true);
  }

  public static ExpertRecipe named(String description) {
    return PRESETS.parse(description);
  }

  /**
   * The experts' training: SGD (or GSAM around it) with lr_teacher decayed at the decay epochs
   * below {@code epochs}, on cross-entropy (scaled by the ramp when it is on) plus the
   * gradient penalty when gpMu &gt; 0.
   */
  public Training training(int epochs, int batchSize, boolean augment) {
    long[] decay = Arrays.stream(lrDecayEpochs(epochs)).filter(e -> e < epochs).toArray();
    Sgd sgd = Optimizer.sgd(lrTeacher).withMomentum(momentum)
        .withWeightDecay(weightDecay).withLrDecay(decay.length == 0 ? 1 : lrDecayFactor, decay)
        .withOnLrDecay(onLrDecay);
    Optimizer o = optimizer.equals("gsam") ? Optimizer.gsam(sgd, rho, alpha) : sgd;
    Objective objective = lossRampEpochs == 0 ? Objective.crossEntropy()
        : Objective.crossEntropy(Schedule.linearRamp(0.5, 1.0, lossRampEpochs));
    if (gpMu > 0) {
      objective = objective.plus(Objective.gradientPenalty(gpMu, gpK, gpNorm));
    }
    return new Training(epochs, batchSize, o, objective, augment);
  }

  /**
   * This recipe with the fields {@code a} names replaced (keys as in {@link #describe}).
   *
   * @throws IllegalArgumentException for a value a field rejects
   */
  public ExpertRecipe with(PieceArgs a) {
    String opt = a.text("optimizer", optimizer).toLowerCase(Locale.ROOT);
    String decay = a.text("lr_decay_epochs", null);
    long[] epochs = decay == null ? lrDecayEpochs : decay.strip().equals(HALF) ? null
        : decay.isBlank() || decay.equals("none") ? new long[0]
        : Arrays.stream(decay.split("[ ;/]+")).mapToLong(Long::parseLong).toArray();
    String norm = a.text("gp_norm", null);
    String onDecay = a.text("on_lr_decay", null);
    return new ExpertRecipe(preset, opt, a.number("lr_teacher", lrTeacher),
        a.number("momentum", momentum), a.number("weight_decay", weightDecay),
        a.number("lr_decay_factor", lrDecayFactor), epochs, a.number("rho", rho),
        a.number("alpha", alpha), a.integer("loss_ramp_epochs", lossRampEpochs),
        a.number("gp_mu", gpMu), a.number("gp_k", gpK),
        norm == null ? gpNorm : GradientPenalty.Norm.named(norm),
        onDecay == null ? onLrDecay : Sgd.OnLrDecay.named(onDecay));
  }

  private ExpertRecipe renamed(String name) {
    return new ExpertRecipe(name, optimizer, lrTeacher, momentum, weightDecay, lrDecayFactor,
        lrDecayEpochs, rho, alpha, lossRampEpochs, gpMu, gpK, gpNorm, onLrDecay);
  }

  /** The same with another optimizer ("sgd" or "gsam"). */
  public ExpertRecipe withOptimizer(String name) {
    return new ExpertRecipe(preset, name, lrTeacher, momentum, weightDecay, lrDecayFactor,
        lrDecayEpochs, rho, alpha, lossRampEpochs, gpMu, gpK, gpNorm, onLrDecay);
  }

  /** The decay epochs as given; null for {@link #HALF} (see {@link #lrDecayEpochs(int)}). */
  @Override
  public long[] lrDecayEpochs() {
    return lrDecayEpochs == null ? null : lrDecayEpochs.clone();
  }

  /** The 0-based epochs at which lr_teacher decays in a training of {@code epochs} epochs. */
  public long[] lrDecayEpochs(int epochs) {
    return lrDecayEpochs == null ? new long[] {epochs / 2 + 2} : lrDecayEpochs.clone();
  }

  /** Every field, as {@link #named} reads it back: {@code ast(optimizer=sgd, ...)}. */
  public String describe() {
    return preset + "(optimizer=" + optimizer + ", lr_teacher=" + lrTeacher + ", momentum="
        + momentum + ", weight_decay=" + weightDecay + ", lr_decay_factor=" + lrDecayFactor
        + ", lr_decay_epochs=" + (lrDecayEpochs == null ? HALF : lrDecayEpochs.length == 0
            ? "none" : Arrays.stream(lrDecayEpochs).mapToObj(Long::toString)
                .collect(Collectors.joining(" ")))
        + ", on_lr_decay=" + onLrDecay.id()
        + ", rho=" + rho + ", alpha=" + alpha + ", loss_ramp_epochs=" + lossRampEpochs
        + ", gp_mu=" + gpMu + ", gp_k=" + gpK + ", gp_norm=" + gpNorm.id() + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExpertRecipe r && r.describe().equals(describe());
  }

  @Override
  public int hashCode() {
    return describe().hashCode();
  }

  @Override
  public String toString() {
    return describe();
  }
}
