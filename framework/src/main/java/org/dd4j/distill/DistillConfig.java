package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dd4j.augment.DsaConfig;
import org.dd4j.schedule.Schedule;
import org.dd4j.settings.EventSettings;
import org.dd4j.settings.Setting;
import org.dd4j.settings.Settings;
import org.dd4j.settings.SettingsSchema;

/**
 * Settings of MTT distillation (spec section 5), with the FTD and AST pieces as options
 * (spec sections 5a, 5b). Each setting is described once below ({@link Setting}: name,
 * aliases, type, default, doc with unit, rule, whether a resumed run may change it); the
 * command-line options of {@code dd4j distill}, the DSL's {@code distill { }} properties,
 * {@code --set distill.KEY=...}, config.json and the checkpoint check are derived from
 * {@link #SCHEMA}. The defaults are plain MTT with MTT's CIFAR-100 ipc 10 setting.
 *
 * <p>To add a setting: declare it here with {@code SCHEMA.add(...)}, give the builder its
 * get/set pair (the DSL property), and read it where it is used with {@code config.get(X)}.
 *
 * <p>References: Cazenavette et al., "Dataset Distillation by Matching Training
 * Trajectories", CVPR 2022, Algorithm 1 and Table 6 (hyperparameters); AST (Shen et al.,
 * arXiv 2310.10541) eqs. 20, 22, 23; FTD (Du et al., CVPR 2023); DATM (Guo et al., ICLR
 * 2024) for min_start_epoch.
 */
public final class DistillConfig {

  /** The distillation settings, in the order config.json lists them. */
  public static final SettingsSchema SCHEMA = new SettingsSchema("distill");

  public static final Setting<Integer> IPC = SCHEMA.add(Setting.integer("ipc", 10,
      "synthetic images per class").check(v -> v > 0, "> 0"));
  public static final Setting<Integer> SYN_STEPS = SCHEMA.add(Setting.integer("syn_steps", 20,
      "N, student SGD steps unrolled per iteration").check(v -> v > 0, "> 0").label("N"));
  public static final Setting<Integer> EXPERT_EPOCHS = SCHEMA.add(Setting.integer(
      "expert_epochs", 2, "M, expert epochs between the start and the target "
          + "(w* = traj[t + M])").check(v -> v > 0, "> 0").label("M"));
  public static final Setting<Integer> MAX_START_EPOCH = SCHEMA.add(Setting.integer(
      "max_start_epoch", 20, "T+, start epochs t are drawn uniformly below it, in epochs")
      .check(v -> v > 0, "> 0").label("T+"));
  public static final Setting<Integer> MIN_START_EPOCH = SCHEMA.add(Setting.integer(
      "min_start_epoch", 0, "T-, start epochs t are drawn uniformly from [T-, T+), in epochs "
          + "(DATM; MTT: 0)").check(v -> v >= 0, ">= 0").label("T-"));
  public static final Setting<Integer> MAX_EXPERTS = SCHEMA.add(Setting.integer(
      "max_experts", 0, "distil from the first this many complete experts of the buffer, by "
          + "index; 0 = all (MTT's --max_experts)").check(v -> v >= 0, ">= 0"));
  public static final Setting<Integer> ITERATIONS = SCHEMA.add(Setting.integer("iterations",
      5000, "outer distillation iterations").check(v -> v > 0, "> 0").aliases("Iteration")
      .resumable());
  public static final Setting<Schedule> LR_IMG = SCHEMA.add(Setting.schedule("lr_img", 1000,
      "learning rate of the synthetic pixels' SGD (pixels per unit gradient); a schedule of "
          + "the image updates applied").check(DistillConfig::positive, "finite and > 0")
      .label("LR").resumable());
  public static final Setting<Schedule> LR_LR = SCHEMA.add(Setting.schedule("lr_lr", 1e-5,
      "learning rate of syn_lr's SGD; a schedule of the syn_lr updates applied")
      .check(DistillConfig::positive, "finite and > 0").label("LR").resumable());
  public static final Setting<Double> LR_TEACHER = SCHEMA.add(Setting.number("lr_teacher",
      0.01, "initial syn_lr, the experts' learning rate").check(v -> v > 0 && v < 1e9,
          "finite and > 0").label("LR"));
  public static final Setting<Integer> BATCH_SYN = SCHEMA.add(Setting.integer("batch_syn", 0,
      "synthetic images per student step; 0 = all C * ipc; a random permutation is cut into "
          + "chunks of batch_syn, the remainder a smaller chunk of its own (MTT's "
          + "indices_chunks)").check(v -> v >= 0, ">= 0 (0 = all images)"));
  public static final Setting<SyntheticInit> IMAGE_INIT = SCHEMA.add(Setting.piece("image_init",
      SyntheticInitRegistry.REGISTRY, "real", "initial images: real (random real images "
          + "per class), noise, or representative(expert=0, embedding=features|logits, "
          + "clustering=per-image|ten-clusters) (AST), or correct-only (real images the "
          + "experts classify correctly, DATM)").aliases("pix_init", "init")
      .label("INIT"));
  public static final Setting<String> DSA = SCHEMA.add(DsaConfig.setting(
      "DSA strategy applied to every student minibatch, or none"));
  public static final Setting<Double> IMAGE_MOMENTUM = SCHEMA.add(Setting.number(
      "image_momentum", 0.5, "momentum of the images' SGD (MTT 0.5)").check(
          DistillConfig::unitInterval, "in [0, 1)").label("MU"));
  public static final Setting<Double> LR_MOMENTUM = SCHEMA.add(Setting.number("lr_momentum",
      0.5, "momentum of syn_lr's SGD (MTT 0.5)").check(DistillConfig::unitInterval,
          "in [0, 1)").label("MU"));
  public static final Setting<Integer> MAX_CONSECUTIVE_FAILURES = SCHEMA.add(Setting.integer(
      "max_consecutive_failures", 10, "skipped (diverged) iterations in a row after which "
          + "the run stops").check(v -> v > 0, "> 0").resumable());
  public static final Setting<Double> MAX_SYN_LR_RATIO = SCHEMA.add(Setting.number(
      "max_syn_lr_ratio", 100, "an update taking syn_lr above this multiple of lr_teacher is "
          + "skipped as exploding (the reference code has no bound)").check(v -> v > 1,
          "> 1").resumable());
  public static final Setting<MatchingLoss> MATCHING_LOSS = SCHEMA.add(Setting.piece(
      "matching_loss",
      MatchingLosses.REGISTRY, NormalizedParameterDistance.NAME, "outer matching loss: "
          + "normalized-parameter-distance (MTT eq. 2), intermediate(weights=equal|linear) "
          + "(AST eq. 22), sums 'a + 0.5 * b', or any registered name")
      .aliases("matching").label("LOSS"));
  public static final Setting<RegularizerList> REGULARIZERS = SCHEMA.add(Setting.of(
      "regularizers", Regularizers.SETTING_TYPE, RegularizerList.NONE, "terms added to the "
          + "matching loss, L = matching + sum_k weight_k R_k: none, or name(weight=W) joined "
          + "by '+': total-variation(norm=l2|l1), image-l2 (DeepInversion's priors), pixel-range,"
          + " label-entropy(goal=sharpen|smooth); W a number or cosine(base=B, steps=S, "
          + "final=F) / linear(from=A, to=B, steps=S) of the iteration; the option may be "
          + "repeated").aliases("regularizer").label("TERM"));
  public static final Setting<InnerLossTransform> INNER_LOSS = SCHEMA.add(Setting.piece(
      "inner_loss", InnerLossTransforms.REGISTRY, InnerLossTransform.Identity.NAME,
      "factor nu(t, T+) on every student step's cross-entropy: identity, balanced (AST eq. "
          + "20, natural log), balanced-log5 (the authors' code)").label("TRANSFORM"));
  public static final Setting<StartPerturbation> START_PERTURBATION = SCHEMA.add(
      Setting.piece("start_perturbation", StartPerturbations.REGISTRY,
          StartPerturbation.None.NAME, "perturbation of the expert start w_0: none, "
              + "filter-wise(rho=0.1) (AST eq. 23), layer-wise(coefficient=1.0) (the "
              + "authors' code)").label("PERTURBATION"));
  public static final Setting<Double> INNER_MOMENTUM = SCHEMA.add(Setting.number(
      "inner_momentum", 0, "heavy-ball momentum of the student's unrolled steps; 0 = plain "
          + "SGD (MTT), the AST code uses 0.9").check(DistillConfig::unitInterval,
          "in [0, 1)").label("MU"));
  public static final Setting<Double> EMA_DECAY = SCHEMA.add(Setting.number("ema_decay", 0,
      "decay d of FTD's moving average of the images, ema <- d ema + (1 - d) images per "
          + "iteration; 0 = none, FTD uses 0.999 to 0.9999").check(
          DistillConfig::unitInterval, "in [0, 1) (0 = no EMA)").label("D"));
  // DATM (Guo et al., ICLR 2024; NUS-HPC-AI-Lab/DATM distill/DATM.py): learnable soft
  // labels, the growing matching window and the loss threshold.
  /** {@link #LABEL_INIT}'s value for fixed hard labels (MTT). */
  public static final String HARD_LABELS = "hard";
  public static final Setting<String> LABEL_INIT = SCHEMA.add(Setting.text("label_init",
      HARD_LABELS, "labels of the synthetic images: hard (fixed class labels, MTT), or "
          + "learnable soft labels (label logits, one C-vector per image, trained with lr_y) "
          + "initialised from the buffer's experts' final checkpoints on the initial images: "
          + SoftLabelInit.FIRST_EXPERT + " (the first expert's logits, unfiltered: DATM with "
          + "pix_init real) or " + SoftLabelInit.CORRECT_EXPERTS + " (per image the mean of "
          + "the logits of the experts that classify it correctly: DATM with pix_init "
          + "samples_predicted_correctly)").check(v -> v.equals(HARD_LABELS)
          || v.equals(SoftLabelInit.FIRST_EXPERT) || v.equals(SoftLabelInit.CORRECT_EXPERTS),
          HARD_LABELS + ", " + SoftLabelInit.FIRST_EXPERT + " or "
              + SoftLabelInit.CORRECT_EXPERTS).label("INIT"));
  public static final Setting<Double> LR_Y = SCHEMA.add(Setting.number("lr_y", 2,
      "learning rate of the label logits' SGD (DATM's lr_y; used with learnable labels)")
      .check(v -> v > 0 && Double.isFinite(v), "finite and > 0").label("LR").resumable());
  public static final Setting<Double> LABEL_MOMENTUM = SCHEMA.add(Setting.number(
      "label_momentum", 0.9, "momentum of the label logits' SGD (DATM's Momentum_y 0.9)")
      .check(DistillConfig::unitInterval, "in [0, 1)").aliases("Momentum_y").label("MU"));
  public static final Setting<Double> LABEL_TEMPERATURE = SCHEMA.add(Setting.number(
      "label_temperature", 1, "T of the soft targets softmax(label logits / T) in the "
          + "student's soft cross-entropy (DATM's code: 1)").check(
          v -> v > 0 && Double.isFinite(v), "finite and > 0").label("T"));
  public static final Setting<Integer> CURRENT_MAX_START_EPOCH = SCHEMA.add(Setting.integer(
      "current_max_start_epoch", 0, "the upper bound of the start epochs at iteration 0 when "
          + "the window grows (DATM's Sequential_Generation): upper(it) = min(T+, cur + "
          + "floor((T+ - cur) * it / expansion_end)); 0 = a fixed window [T-, T+)")
      .check(v -> v >= 0, ">= 0").label("T"));
  public static final Setting<Integer> EXPANSION_END = SCHEMA.add(Setting.integer(
      "expansion_end", 0, "the iteration by which the growing window's upper bound reaches "
          + "max_start_epoch (DATM's expansion_end_epoch, which counts iterations)")
      .check(v -> v >= 0, ">= 0").aliases("expansion_end_epoch").label("IT"));
  public static final Setting<Double> LOSS_THRESHOLD = SCHEMA.add(Setting.number(
      "loss_threshold", 0, "an iteration whose matching loss exceeds this updates nothing "
          + "(skipped; DATM's threshold, 1.0, 1.1 for CIFAR-10 ipc 1); 0 = no threshold")
      .check(v -> v >= 0 && Double.isFinite(v), "finite and >= 0 (0 = none)")
      .aliases("threshold").resumable());
  public static final Setting<String> UNROLL = SCHEMA.add(Setting.text("unroll", "auto",
      "how the student's N steps are differentiated: full (one graph of all N steps, "
          + "memory grows with N), adjoint (the same exact second-order gradient by a "
          + "backward sweep over a one-step graph: memory of one step plus N + 1 parameter "
          + "vectors, 5-60% more time per iteration), or auto: full while its estimated "
          + "memory fits 80% of the machine, else adjoint (UnrollMode)").check(
          v -> v.equals("auto") || v.equals("full") || v.equals("adjoint"),
          "auto, full or adjoint").resumable());
  public static final Setting<Long> SEED = SCHEMA.add(Setting.longInteger("seed", 0,
      "seeds the initialization and every iteration's draws"));
  public static final Setting<Integer> SAVE_EVERY = SCHEMA.add(Setting.integer("save_every",
      100, "iterations between checkpoints and saved synthetic sets").check(v -> v > 0,
          "> 0").runOnly());
  public static final Setting<Integer> EVAL_EVERY = SCHEMA.add(Setting.integer("eval_every",
      0, "iterations between evaluations during the run; 0 = only at the end")
      .check(v -> v >= 0, ">= 0").aliases("eval_it").runOnly());
  public static final Setting<Integer> MIN_EXPERTS = SCHEMA.add(Setting.integer(
      "min_experts", 0, "fewest valid experts to distil from; 0 = every expert file present "
          + "must be valid").check(v -> v >= 0, ">= 0").runOnly());
  /** {@link EventSettings#TENSORBOARD}, the switch of every phase. */
  public static final Setting<Boolean> TENSORBOARD =
      SCHEMA.add(EventSettings.TENSORBOARD);

  /** The {@link #dsaStrategy()} that turns DSA off. */
  public static final String NO_DSA = DsaConfig.NONE;

  private final Settings settings;

  /**
   * @throws IllegalArgumentException if the settings are not distillation settings or
   *     contradict each other
   */
  public DistillConfig(Settings settings) {
    checkNotNull(settings, "settings");
    checkArgument(settings.schema() == SCHEMA, "not distillation settings: %s", settings);
    int cur = settings.get(CURRENT_MAX_START_EPOCH);
    if (cur > 0) {
      checkArgument(settings.get(EXPANSION_END) > 0, "current_max_start_epoch = %s grows the"
          + " matching window, which needs expansion_end > 0 (the iteration at which it "
          + "reaches max_start_epoch); set it, or current_max_start_epoch = 0", cur);
      checkArgument(cur > settings.get(MIN_START_EPOCH) && cur <= settings.get(
          MAX_START_EPOCH), "current_max_start_epoch = %s must lie in (min_start_epoch, "
          + "max_start_epoch] = (%s, %s]", cur, settings.get(MIN_START_EPOCH),
          settings.get(MAX_START_EPOCH));
    }
    this.settings = settings;
  }

  /**
   * The exclusive upper bound of the start epochs drawn at iteration {@code it}: T+ for a
   * fixed window; with current_max_start_epoch > 0, DATM's sequential generation (distill/
   * DATM.py: {@code cur + int((T+ - cur) * it / expansion_end)}, capped at T+), which grows
   * in integer steps (floor), not continuously.
   */
  public int startEpochUpperBound(int it) {
    int cur = get(CURRENT_MAX_START_EPOCH);
    int max = maxStartEpoch();
    if (cur == 0) {
      return max;
    }
    long grown = cur + (long) (max - cur) * it / get(EXPANSION_END);
    return (int) Math.min(grown, max);
  }

  /** The value of any distillation setting. */
  public <T> T get(Setting<T> s) {
    return settings.get(s);
  }

  /** All values, for config.json and checkpoints. */
  public Settings settings() {
    return settings;
  }
  public int ipc() { return get(IPC); }
  public int synSteps() { return get(SYN_STEPS); }
  public int expertEpochs() { return get(EXPERT_EPOCHS); }
  public int maxStartEpoch() { return get(MAX_START_EPOCH); }
  public int iterations() { return get(ITERATIONS); }

  /** lr_img at the first update (the value of {@link #lrImgSchedule()} at 0). */
  public double lrImg() {
    return get(LR_IMG).at(0);
  }

  /** lr_lr at the first update. */
  public double lrLr() {
    return get(LR_LR).at(0);
  }

  /** lr_img as a function of the number of image updates applied so far. */
  public Schedule lrImgSchedule() { return get(LR_IMG); }

  /** lr_lr as a function of the number of syn_lr updates applied so far. */
  public Schedule lrLrSchedule() { return get(LR_LR); }
  public double lrTeacher() { return get(LR_TEACHER); }

  /** The batch_syn setting as given (0 = all); see {@link #batchSyn(int)}. */
  public int batchSyn() { return get(BATCH_SYN); }
  public SyntheticInit imageInit() { return get(IMAGE_INIT); }

  /** The DSA strategy, or "none". */
  public String dsaStrategy() { return get(DSA); }
  public double imageMomentum() { return get(IMAGE_MOMENTUM); }
  public double lrMomentum() { return get(LR_MOMENTUM); }
  public int maxConsecutiveFailures() { return get(MAX_CONSECUTIVE_FAILURES); }
  public double maxSynLrRatio() { return get(MAX_SYN_LR_RATIO); }
  public MatchingLoss matchingLoss() { return get(MATCHING_LOSS); }

  /** The terms beside the matching loss ({@link #REGULARIZERS}), possibly none. */
  public RegularizerList regularizers() { return get(REGULARIZERS); }
  public InnerLossTransform innerLoss() { return get(INNER_LOSS); }
  public StartPerturbation startPerturbation() { return get(START_PERTURBATION); }
  public double innerMomentum() { return get(INNER_MOMENTUM); }
  public double emaDecay() { return get(EMA_DECAY); }
  public long seed() { return get(SEED); }

  /** Whether the labels are learnable soft labels (label_init is not "hard"; DATM). */
  public boolean softLabels() {
    return !get(LABEL_INIT).equals(HARD_LABELS);
  }

  /** FTD's moving average of the images, or empty when {@link #emaDecay()} is 0. */
  public Optional<ImageEma> imageEma() {
    return emaDecay() == 0 ? Optional.empty() : Optional.of(new ImageEma(emaDecay()));
  }

  /**
   * Every setting as plain JSON-ready values by snake_case name, in {@link #SCHEMA} order:
   * pieces by their description (e.g. "intermediate(weights=equal)"), schedules by their
   * value (or values at steps 0, 1, 10, ...), and lr_img / lr_lr sampled over this run as
   * {@code lr_img_schedule}, {@code lr_lr_schedule}. Saved in checkpoints and config.json.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>(settings.toPlainMap());
    m.put("lr_img_schedule", samples(lrImgSchedule()));
    m.put("lr_lr_schedule", samples(lrLrSchedule()));
    return m;
  }

  /** A schedule as its values at 0, 1/4, 1/2, 3/4 of the run and its last update. */
  private List<Double> samples(Schedule s) {
    int n = iterations();
    List<Double> v = new ArrayList<>();
    for (long at : new long[] {0, n / 4, n / 2, 3L * n / 4, n - 1}) {
      v.add(s.at(at));
    }
    return v;
  }

  /** The largest syn_lr an update may produce: maxSynLrRatio * lrTeacher. */
  public double maxSynLr() {
    return maxSynLrRatio() * lrTeacher();
  }

  /**
   * Images per chunk of the student's minibatches for {@code numClasses} classes: the
   * setting, 0 meaning all C * ipc, at most C * ipc (as {@code torch.split} with a larger
   * chunk gives one chunk). It need not divide C * ipc: the remainder chunk of each
   * permutation is then a smaller minibatch of its own, as in MTT's distill.py
   * ({@link StudentBatches}).
   */
  public int batchSyn(int numClasses) {
    int n = numClasses * ipc();
    return batchSyn() == 0 ? n : Math.min(batchSyn(), n);
  }

  /** The DSA settings, or empty when DSA is "none". */
  public Optional<DsaConfig> dsa() {
    return DsaConfig.optional(dsaStrategy());
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder(settings.toBuilder());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DistillConfig c && c.settings.equals(settings);
  }

  @Override
  public int hashCode() {
    return settings.hashCode();
  }

  @Override
  public String toString() {
    return "DistillConfig" + toMap();
  }

  private static Builder mtt(int ipc, int n, int m, int tPlus, double lrImg, double lrLr) {
    return builder().ipc(ipc).synSteps(n).expertEpochs(m).maxStartEpoch(tPlus).lrImg(lrImg)
        .lrLr(lrLr).lrTeacher(0.01);
  }

  /** CIFAR-10, ipc 1: N 50, M 2, T+ 2, lr_img 100, lr_lr 1e-7 (with ZCA data). */
  public static DistillConfig mttCifar10Ipc1() {
    return mtt(1, 50, 2, 2, 100, 1e-7).build();
  }

  /** CIFAR-10, ipc 10: N 30, M 2, T+ 20, lr_img 100, lr_lr 1e-5 (with ZCA data). */
  public static DistillConfig mttCifar10Ipc10() {
    return mtt(10, 30, 2, 20, 100, 1e-5).build();
  }

  /** CIFAR-10, ipc 50: N 30, M 2, T+ 40, lr_img 1000, lr_lr 1e-5 (no ZCA). */
  public static DistillConfig mttCifar10Ipc50() {
    return mtt(50, 30, 2, 40, 1000, 1e-5).build();
  }

  /** CIFAR-100, ipc 1: N 20, M 3, T+ 20, lr_img 1000, lr_lr 1e-5 (with ZCA data). */
  public static DistillConfig mttCifar100Ipc1() {
    return mtt(1, 20, 3, 20, 1000, 1e-5).build();
  }

  /** CIFAR-100, ipc 10: N 20, M 2, T+ 20, lr_img 1000, lr_lr 1e-5. */
  public static DistillConfig mttCifar100Ipc10() {
    return mtt(10, 20, 2, 20, 1000, 1e-5).build();
  }

  /** CIFAR-100, ipc 50: N 80, M 2, T+ 40, lr_img 1000, lr_lr 1e-5, batch_syn 125. */
  public static DistillConfig mttCifar100Ipc50() {
    return mtt(50, 80, 2, 40, 1000, 1e-5).batchSyn(125).build();
  }

  /** Tiny ImageNet (ConvNet-4), ipc 1: N 10, M 2, T+ 10, lr_img 1e4, lr_lr 1e-4. */
  public static DistillConfig mttTinyImageNetIpc1() {
    return mtt(1, 10, 2, 10, 1e4, 1e-4).build();
  }

  /** Tiny ImageNet (ConvNet-4), ipc 10: N 20, M 2, T+ 40, lr_img 1e4, lr_lr 1e-4, batch 200. */
  public static DistillConfig mttTinyImageNetIpc10() {
    return mtt(10, 20, 2, 40, 1e4, 1e-4).batchSyn(200).build();
  }

  private static boolean positive(Schedule s) {
    double v = s.at(0);
    return v > 0 && Double.isFinite(v);
  }

  private static boolean unitInterval(double v) {
    return v >= 0 && v < 1;
  }

  /**
   * Builds a {@link DistillConfig}; every setting not set has its {@link #SCHEMA} default.
   * Values are checked as they are set. {@link #set} takes any setting; the fluent methods
   * and the get/set pairs (which the Kotlin DSL's {@code distill { }} block exposes as
   * properties) are shorthands for it.
   */
  public static class Builder {
    private final Settings.Builder values;

    protected Builder() {
      this(Settings.builder(SCHEMA));
    }

    private Builder(Settings.Builder values) {
      this.values = values;
    }

    /**
     * @throws IllegalArgumentException if the value breaks the setting's rule
     */
    public <T> Builder set(Setting<T> s, T value) {
      values.set(s, value);
      return this;
    }

    /** The value set so far, or the default. */
    public <T> T get(Setting<T> s) {
      return values.get(s);
    }

    /**
     * Whether the setting {@code key} names was set on this builder (a method preset fills
     * only the others).
     *
     * @throws IllegalArgumentException for an unknown key
     */
    public boolean isSet(String key) {
      return values.isSet(key);
    }

    /**
     * Sets a setting from text, as the command line and {@code --set} do.
     *
     * @throws IllegalArgumentException for an unknown key or a value it cannot read
     */
    public Builder parse(String key, String text) {
      values.parse(key, text);
      return this;
    }

    public Builder ipc(int v) { return set(IPC, v); }
    public Builder synSteps(int v) { return set(SYN_STEPS, v); }
    public Builder expertEpochs(int v) { return set(EXPERT_EPOCHS, v); }
    public Builder maxStartEpoch(int v) { return set(MAX_START_EPOCH, v); }
    public Builder iterations(int v) { return set(ITERATIONS, v); }
    public Builder lrImg(double v) { return set(LR_IMG, Schedule.constant(v)); }

    /** lr_img as a schedule of the number of image updates. */
    public Builder lrImg(Schedule v) { return set(LR_IMG, v); }
    public Builder lrLr(double v) { return set(LR_LR, Schedule.constant(v)); }

    /** lr_lr as a schedule of the number of syn_lr updates. */
    public Builder lrLr(Schedule v) { return set(LR_LR, v); }
    public Builder lrTeacher(double v) { return set(LR_TEACHER, v); }
    public Builder batchSyn(int v) { return set(BATCH_SYN, v); }
    public Builder imageInit(SyntheticInit v) { return set(IMAGE_INIT, v); }

    /** A DSA strategy, or "none". */
    public Builder dsaStrategy(String v) { return set(DSA, v); }
    public Builder imageMomentum(double v) { return set(IMAGE_MOMENTUM, v); }
    public Builder lrMomentum(double v) { return set(LR_MOMENTUM, v); }
    public Builder maxConsecutiveFailures(int v) { return set(MAX_CONSECUTIVE_FAILURES, v); }
    public Builder maxSynLrRatio(double v) { return set(MAX_SYN_LR_RATIO, v); }

    /** The outer matching loss (AST: {@link IntermediateMatching#equal()}). */
    public Builder matchingLoss(MatchingLoss v) { return set(MATCHING_LOSS, v); }

    /** The inner-loss factor nu(t, T+) (AST: {@link BalancedInnerLoss#paper()}). */
    public Builder innerLoss(InnerLossTransform v) { return set(INNER_LOSS, v); }

    /** The expert start's perturbation (AST: {@link FilterWisePerturbation#paper()}). */
    public Builder startPerturbation(StartPerturbation v) { return set(START_PERTURBATION, v); }
    public Builder innerMomentum(double v) { return set(INNER_MOMENTUM, v); }
    public Builder emaDecay(double v) { return set(EMA_DECAY, v); }
    /** "auto", "full" or "adjoint" ({@link #UNROLL}). */
    public Builder unroll(String v) { return set(UNROLL, v); }
    public Builder seed(long v) { return set(SEED, v); }

    // Get/set pairs: the DSL's properties (Kotlin reads getX/setX as a property x).

    public int getIpc() { return get(IPC); }
    public void setIpc(int v) { set(IPC, v); }
    public int getSynSteps() { return get(SYN_STEPS); }
    public void setSynSteps(int v) { set(SYN_STEPS, v); }
    public int getExpertEpochs() { return get(EXPERT_EPOCHS); }
    public void setExpertEpochs(int v) { set(EXPERT_EPOCHS, v); }
    public int getMaxStartEpoch() { return get(MAX_START_EPOCH); }
    public void setMaxStartEpoch(int v) { set(MAX_START_EPOCH, v); }
    public int getMinStartEpoch() { return get(MIN_START_EPOCH); }
    public void setMinStartEpoch(int v) { set(MIN_START_EPOCH, v); }
    public int getMaxExperts() { return get(MAX_EXPERTS); }
    public void setMaxExperts(int v) { set(MAX_EXPERTS, v); }
    public int getIterations() { return get(ITERATIONS); }
    public void setIterations(int v) { set(ITERATIONS, v); }

    /** lr_img at the first update; {@link #lrImg(Schedule)} sets a schedule. */
    public double getLrImg() { return get(LR_IMG).at(0); }
    public void setLrImg(double v) { lrImg(v); }

    /** lr_lr at the first update; {@link #lrLr(Schedule)} sets a schedule. */
    public double getLrLr() { return get(LR_LR).at(0); }
    public void setLrLr(double v) { lrLr(v); }
    public double getLrTeacher() { return get(LR_TEACHER); }
    public void setLrTeacher(double v) { set(LR_TEACHER, v); }
    public int getBatchSyn() { return get(BATCH_SYN); }
    public void setBatchSyn(int v) { set(BATCH_SYN, v); }
    public SyntheticInit getImageInit() { return get(IMAGE_INIT); }
    public void setImageInit(SyntheticInit v) { set(IMAGE_INIT, v); }
    public String getDsa() { return get(DSA); }
    public void setDsa(String v) { set(DSA, v); }
    public double getImageMomentum() { return get(IMAGE_MOMENTUM); }
    public void setImageMomentum(double v) { set(IMAGE_MOMENTUM, v); }
    public double getLrMomentum() { return get(LR_MOMENTUM); }
    public void setLrMomentum(double v) { set(LR_MOMENTUM, v); }
    public int getMaxConsecutiveFailures() { return get(MAX_CONSECUTIVE_FAILURES); }
    public void setMaxConsecutiveFailures(int v) { set(MAX_CONSECUTIVE_FAILURES, v); }
    public double getMaxSynLrRatio() { return get(MAX_SYN_LR_RATIO); }
    public void setMaxSynLrRatio(double v) { set(MAX_SYN_LR_RATIO, v); }
    public MatchingLoss getMatchingLoss() { return get(MATCHING_LOSS); }
    public void setMatchingLoss(MatchingLoss v) { set(MATCHING_LOSS, v); }
    /** The regularizers (a {@link RegularizerList}). */
    public java.util.List<WeightedRegularizer> getRegularizers() {
      return get(REGULARIZERS);
    }

    /** The regularizers, e.g. {@code List.of(new WeightedRegularizer(tv, 1e-3))}. */
    public void setRegularizers(java.util.List<WeightedRegularizer> v) {
      set(REGULARIZERS, v instanceof RegularizerList l ? l : new RegularizerList(v));
    }

    public Builder regularizers(RegularizerList v) { return set(REGULARIZERS, v); }

    /**
     * The regularizers from Java, e.g. {@code regularizers(new WeightedRegularizer(new
     * TotalVariation(TotalVariation.Norm.L2), ScheduleText.cosine(1e-4, 200, 0)))} or
     * {@code regularizers(Regularizers.create("image-l2(weight=1e-5)"))}.
     */
    public Builder regularizers(WeightedRegularizer... v) {
      return set(REGULARIZERS, new RegularizerList(List.of(v)));
    }
    public InnerLossTransform getInnerLoss() { return get(INNER_LOSS); }
    public void setInnerLoss(InnerLossTransform v) { set(INNER_LOSS, v); }
    public StartPerturbation getStartPerturbation() { return get(START_PERTURBATION); }
    public void setStartPerturbation(StartPerturbation v) { set(START_PERTURBATION, v); }
    public double getInnerMomentum() { return get(INNER_MOMENTUM); }
    public void setInnerMomentum(double v) { set(INNER_MOMENTUM, v); }
    public double getEmaDecay() { return get(EMA_DECAY); }
    public void setEmaDecay(double v) { set(EMA_DECAY, v); }
    public String getLabelInit() { return get(LABEL_INIT); }
    public void setLabelInit(String v) { set(LABEL_INIT, v); }
    public double getLrY() { return get(LR_Y); }
    public void setLrY(double v) { set(LR_Y, v); }
    public double getLabelMomentum() { return get(LABEL_MOMENTUM); }
    public void setLabelMomentum(double v) { set(LABEL_MOMENTUM, v); }
    public double getLabelTemperature() { return get(LABEL_TEMPERATURE); }
    public void setLabelTemperature(double v) { set(LABEL_TEMPERATURE, v); }
    public int getCurrentMaxStartEpoch() { return get(CURRENT_MAX_START_EPOCH); }
    public void setCurrentMaxStartEpoch(int v) { set(CURRENT_MAX_START_EPOCH, v); }
    public int getExpansionEnd() { return get(EXPANSION_END); }
    public void setExpansionEnd(int v) { set(EXPANSION_END, v); }
    public double getLossThreshold() { return get(LOSS_THRESHOLD); }
    public void setLossThreshold(double v) { set(LOSS_THRESHOLD, v); }
    public String getUnroll() { return get(UNROLL); }
    public void setUnroll(String v) { set(UNROLL, v); }
    public long getSeed() { return get(SEED); }
    public void setSeed(long v) { set(SEED, v); }
    public int getSaveEvery() { return get(SAVE_EVERY); }
    public void setSaveEvery(int v) { set(SAVE_EVERY, v); }
    public int getEvalEvery() { return get(EVAL_EVERY); }
    public void setEvalEvery(int v) { set(EVAL_EVERY, v); }
    public int getMinExperts() { return get(MIN_EXPERTS); }
    public void setMinExperts(int v) { set(MIN_EXPERTS, v); }
    public boolean getTensorboard() { return get(TENSORBOARD); }
    public void setTensorboard(boolean v) { set(TENSORBOARD, v); }

    public DistillConfig build() {
      return new DistillConfig(values.build());
    }
  }
}
