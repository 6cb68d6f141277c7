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

/**
 * Settings of MTT distillation (spec section 5), with the FTD and AST pieces as options
 * (spec sections 5a, 5b), validated on construction. Build one with {@link #builder()} or
 * start from a reference setting such as {@link #mttCifar10Ipc10()}; the defaults are plain
 * MTT.
 *
 * <p>References: Cazenavette et al., "Dataset Distillation by Matching Training
 * Trajectories", CVPR 2022, Algorithm 1 and Table 6 (hyperparameters); AST (Shen et al.,
 * arXiv 2310.10541) eqs. 20, 22, 23; FTD (Du et al., CVPR 2023).
 *
 * @param ipc images per class, > 0
 * @param synSteps N, student SGD steps unrolled per iteration, > 0
 * @param expertEpochs M, expert epochs between start and target (w* = traj[t + M]), > 0
 * @param maxStartEpoch T+, start epochs are drawn uniformly from {0, ..., T+ - 1}, > 0
 * @param iterations outer distillation iterations, > 0
 * @param lrImg learning rate of the synthetic images' SGD (pixels per unit gradient), > 0
 * @param lrLr learning rate of syn_lr's SGD, > 0
 * @param lrTeacher initial syn_lr (the experts' learning rate), > 0
 * @param batchSyn synthetic images per student step; 0 means all C * ipc of them; must
 *     divide C * ipc (see {@link #batchSyn(int)})
 * @param imageInit how the images start (an {@link ImageInit} or any {@link SyntheticInit})
 * @param dsaStrategy DSA strategy applied to every student minibatch (e.g.
 *     "color_crop_cutout_flip_scale_rotate"), or "none"
 * @param imageMomentum momentum of the images' SGD, in [0, 1) (MTT 0.5)
 * @param lrMomentum momentum of syn_lr's SGD, in [0, 1) (MTT 0.5)
 * @param maxConsecutiveFailures consecutive skipped (diverged) iterations after which
 *     distillation stops with an exception, > 0
 * @param maxSynLrRatio syn_lr may grow to at most this multiple of lr_teacher; an update
 *     that would take it further counts as exploding and the iteration is skipped, > 1
 *     (default 100; the reference code has no bound)
 * @param matchingLoss the outer loss on the student path and the expert segment (default
 *     {@link NormalizedParameterDistance}, MTT eq. 2; AST: {@link IntermediateMatching})
 * @param innerLoss the factor nu(t, T+) on every student step's cross-entropy (default
 *     identity; AST: {@link BalancedInnerLoss}, eq. 20)
 * @param startPerturbation applied to the expert start w_0 before each iteration (default
 *     none; AST: {@link FilterWisePerturbation}, eq. 23)
 * @param innerMomentum heavy-ball momentum of the student's steps, in [0, 1) (default 0, MTT;
 *     the AST code uses 0.9)
 * @param emaDecay decay d of FTD's moving average of the images, in [0, 1); 0 (default)
 *     keeps no average, FTD uses 0.999 to 0.9999
 * @param lrImgSchedule lr_img as a function of the number of image updates applied so far
 *     (an iteration that is skipped applies none); its value at 0 is {@link #lrImg()}
 * @param lrLrSchedule lr_lr the same way; its value at 0 is {@link #lrLr()}
 * @param seed seeds the initialization and every iteration's draws
 */
public record DistillConfig(int ipc, int synSteps, int expertEpochs, int maxStartEpoch,
    int iterations, double lrImg, double lrLr, double lrTeacher, int batchSyn,
    SyntheticInit imageInit, String dsaStrategy, double imageMomentum, double lrMomentum,
    int maxConsecutiveFailures, double maxSynLrRatio, MatchingLoss matchingLoss,
    InnerLossTransform innerLoss, StartPerturbation startPerturbation, double innerMomentum,
    double emaDecay, Schedule lrImgSchedule, Schedule lrLrSchedule, long seed) {

  /** The {@link #dsaStrategy()} that turns DSA off. */
  public static final String NO_DSA = "none";

  public DistillConfig {
    checkArgument(ipc > 0, "ipc must be > 0, got %s", ipc);
    checkArgument(synSteps > 0, "synSteps must be > 0, got %s", synSteps);
    checkArgument(expertEpochs > 0, "expertEpochs must be > 0, got %s", expertEpochs);
    checkArgument(maxStartEpoch > 0, "maxStartEpoch must be > 0, got %s", maxStartEpoch);
    checkArgument(iterations > 0, "iterations must be > 0, got %s", iterations);
    checkPositive("lrImg", lrImg);
    checkPositive("lrLr", lrLr);
    checkNotNull(lrImgSchedule, "lrImgSchedule");
    checkNotNull(lrLrSchedule, "lrLrSchedule");
    checkArgument(lrImgSchedule.at(0) == lrImg, "lrImgSchedule starts at %s but lrImg is %s",
        lrImgSchedule.at(0), lrImg);
    checkArgument(lrLrSchedule.at(0) == lrLr, "lrLrSchedule starts at %s but lrLr is %s",
        lrLrSchedule.at(0), lrLr);
    checkPositive("lrTeacher", lrTeacher);
    checkArgument(batchSyn >= 0, "batchSyn must be >= 0 (0 = all images), got %s", batchSyn);
    checkNotNull(imageInit, "imageInit");
    checkNotNull(dsaStrategy, "dsaStrategy");
    if (!dsaStrategy.equals(NO_DSA)) {
      DsaConfig.parse(dsaStrategy); // throws for an unknown group
    }
    checkArgument(imageMomentum >= 0 && imageMomentum < 1,
        "imageMomentum must be in [0, 1), got %s", imageMomentum);
    checkArgument(lrMomentum >= 0 && lrMomentum < 1, "lrMomentum must be in [0, 1), got %s",
        lrMomentum);
    checkArgument(maxConsecutiveFailures > 0, "maxConsecutiveFailures must be > 0, got %s",
        maxConsecutiveFailures);
    checkArgument(maxSynLrRatio > 1, "maxSynLrRatio must be > 1, got %s", maxSynLrRatio);
    checkNotNull(matchingLoss, "matchingLoss");
    checkNotNull(innerLoss, "innerLoss");
    checkNotNull(startPerturbation, "startPerturbation");
    checkArgument(innerMomentum >= 0 && innerMomentum < 1,
        "innerMomentum must be in [0, 1), got %s", innerMomentum);
    checkArgument(emaDecay >= 0 && emaDecay < 1, "emaDecay must be in [0, 1) (0 = no EMA),"
        + " got %s", emaDecay);
  }

  /** FTD's moving average of the images, or empty when {@link #emaDecay()} is 0. */
  public Optional<ImageEma> imageEma() {
    return emaDecay == 0 ? Optional.empty() : Optional.of(new ImageEma(emaDecay));
  }

  /**
   * Every field as plain JSON-ready values, snake_case, in declaration order: the function
   * objects by their {@code describe()} (e.g. "intermediate(weights=equal)"), the image
   * init by its id. Saved in checkpoints and in a run's config.json.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("ipc", ipc);
    n.put("syn_steps", synSteps);
    n.put("expert_epochs", expertEpochs);
    n.put("max_start_epoch", maxStartEpoch);
    n.put("iterations", iterations);
    n.put("lr_img", lrImg);
    n.put("lr_lr", lrLr);
    n.put("lr_img_schedule", samples(lrImgSchedule, iterations));
    n.put("lr_lr_schedule", samples(lrLrSchedule, iterations));
    n.put("lr_teacher", lrTeacher);
    n.put("batch_syn", batchSyn);
    n.put("image_init", imageInit.id());
    n.put("dsa_strategy", dsaStrategy);
    n.put("image_momentum", imageMomentum);
    n.put("lr_momentum", lrMomentum);
    n.put("max_consecutive_failures", maxConsecutiveFailures);
    n.put("max_syn_lr_ratio", maxSynLrRatio);
    n.put("matching_loss", matchingLoss.describe());
    n.put("inner_loss", innerLoss.describe());
    n.put("start_perturbation", startPerturbation.describe());
    n.put("inner_momentum", innerMomentum);
    n.put("ema_decay", emaDecay);
    n.put("seed", seed);
    return n;
  }

  /** A schedule as its values at 0, 1/4, 1/2, 3/4 of the run and its last update. */
  private static List<Double> samples(Schedule s, int iterations) {
    List<Double> v = new ArrayList<>();
    for (long at : new long[] {0, iterations / 4, iterations / 2, 3L * iterations / 4,
        iterations - 1}) {
      v.add(s.at(at));
    }
    return v;
  }

  /** The largest syn_lr an update may produce: maxSynLrRatio * lrTeacher. */
  public double maxSynLr() {
    return maxSynLrRatio * lrTeacher;
  }

  private static void checkPositive(String name, double v) {
    checkArgument(v > 0 && Double.isFinite(v), "%s must be finite and > 0, got %s", name, v);
  }

  /**
   * Images per student step for {@code numClasses} classes.
   *
   * @throws IllegalArgumentException if it does not divide C * ipc: every step's minibatch
   *     has the same size here (the reference code lets the last chunk of a permutation be
   *     smaller)
   */
  public int batchSyn(int numClasses) {
    int n = numClasses * ipc;
    int b = batchSyn == 0 ? n : batchSyn;
    checkArgument(b <= n && n % b == 0,
        "batchSyn %s must divide the number of synthetic images C * ipc = %s", b, n);
    return b;
  }

  /** The DSA settings, or empty when {@link #dsaStrategy()} is "none". */
  public Optional<DsaConfig> dsa() {
    return dsaStrategy.equals(NO_DSA) ? Optional.empty()
        : Optional.of(DsaConfig.parse(dsaStrategy));
  }

  /** A builder with MTT's defaults and no required value set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder().ipc(ipc).synSteps(synSteps).expertEpochs(expertEpochs)
        .maxStartEpoch(maxStartEpoch).iterations(iterations).lrImg(lrImgSchedule)
        .lrLr(lrLrSchedule).lrTeacher(lrTeacher).batchSyn(batchSyn).imageInit(imageInit).dsaStrategy(dsaStrategy)
        .imageMomentum(imageMomentum).lrMomentum(lrMomentum)
        .maxConsecutiveFailures(maxConsecutiveFailures).maxSynLrRatio(maxSynLrRatio)
        .matchingLoss(matchingLoss).innerLoss(innerLoss).startPerturbation(startPerturbation)
        .innerMomentum(innerMomentum).emaDecay(emaDecay).seed(seed);
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

  /**
   * Builds a {@link DistillConfig}. Required: ipc, synSteps, expertEpochs, maxStartEpoch,
   * lrImg, lrLr. Defaults: 5000 iterations, lrTeacher 0.01, batchSyn 0 (all images), 'real'
   * init, DSA with MTT's strategy, both momenta 0.5, 10 consecutive failures, syn_lr at
   * most 100 x lr_teacher, normalized parameter distance, identity inner loss, no start
   * perturbation, no inner momentum, no image EMA, seed 0.
   */
  public static final class Builder {
    private int ipc;
    private int synSteps;
    private int expertEpochs;
    private int maxStartEpoch;
    private int iterations = 5000;
    private double lrImg;
    private double lrLr;
    private Schedule lrImgSchedule;
    private Schedule lrLrSchedule;
    private double lrTeacher = 0.01;
    private int batchSyn;
    private SyntheticInit imageInit = ImageInit.REAL;
    private String dsaStrategy = DsaConfig.DEFAULT_STRATEGY;
    private double imageMomentum = 0.5;
    private double lrMomentum = 0.5;
    private int maxConsecutiveFailures = 10;
    private double maxSynLrRatio = 100;
    private MatchingLoss matchingLoss = new NormalizedParameterDistance();
    private InnerLossTransform innerLoss = InnerLossTransform.identity();
    private StartPerturbation startPerturbation = StartPerturbation.none();
    private double innerMomentum;
    private double emaDecay;
    private long seed;

    private Builder() {}

    public Builder ipc(int v) {
      ipc = v;
      return this;
    }

    public Builder synSteps(int v) {
      synSteps = v;
      return this;
    }

    public Builder expertEpochs(int v) {
      expertEpochs = v;
      return this;
    }

    public Builder maxStartEpoch(int v) {
      maxStartEpoch = v;
      return this;
    }

    public Builder iterations(int v) {
      iterations = v;
      return this;
    }

    public Builder lrImg(double v) {
      lrImg = v;
      lrImgSchedule = null;
      return this;
    }

    /** lr_img as a schedule of the number of image updates; lrImg becomes its value at 0. */
    public Builder lrImg(Schedule v) {
      lrImg = v.at(0);
      lrImgSchedule = v;
      return this;
    }

    public Builder lrLr(double v) {
      lrLr = v;
      lrLrSchedule = null;
      return this;
    }

    /** lr_lr as a schedule of the number of syn_lr updates; lrLr becomes its value at 0. */
    public Builder lrLr(Schedule v) {
      lrLr = v.at(0);
      lrLrSchedule = v;
      return this;
    }

    public Builder lrTeacher(double v) {
      lrTeacher = v;
      return this;
    }

    public Builder batchSyn(int v) {
      batchSyn = v;
      return this;
    }

    public Builder imageInit(SyntheticInit v) {
      imageInit = v;
      return this;
    }

    /** A DSA strategy, or {@link DistillConfig#NO_DSA}. */
    public Builder dsaStrategy(String v) {
      dsaStrategy = v;
      return this;
    }

    public Builder imageMomentum(double v) {
      imageMomentum = v;
      return this;
    }

    public Builder lrMomentum(double v) {
      lrMomentum = v;
      return this;
    }

    public Builder maxConsecutiveFailures(int v) {
      maxConsecutiveFailures = v;
      return this;
    }

    public Builder maxSynLrRatio(double v) {
      maxSynLrRatio = v;
      return this;
    }

    /** The outer matching loss (AST: {@link IntermediateMatching#equal()}). */
    public Builder matchingLoss(MatchingLoss v) {
      matchingLoss = v;
      return this;
    }

    /** The inner-loss factor nu(t, T+) (AST: {@link BalancedInnerLoss#paper()}). */
    public Builder innerLoss(InnerLossTransform v) {
      innerLoss = v;
      return this;
    }

    /** The expert start's perturbation (AST: {@link FilterWisePerturbation#paper()}). */
    public Builder startPerturbation(StartPerturbation v) {
      startPerturbation = v;
      return this;
    }

    /** Inner heavy-ball momentum in [0, 1); 0 = plain SGD (AST code: 0.9). */
    public Builder innerMomentum(double v) {
      innerMomentum = v;
      return this;
    }

    /** FTD's image EMA decay in [0, 1); 0 = none (FTD: 0.999 to 0.9999). */
    public Builder emaDecay(double v) {
      emaDecay = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** @throws IllegalArgumentException naming the first invalid value */
    public DistillConfig build() {
      return new DistillConfig(ipc, synSteps, expertEpochs, maxStartEpoch, iterations, lrImg,
          lrLr, lrTeacher, batchSyn, imageInit, dsaStrategy, imageMomentum, lrMomentum,
          maxConsecutiveFailures, maxSynLrRatio, matchingLoss, innerLoss, startPerturbation,
          innerMomentum, emaDecay, lrImgSchedule == null ? Schedule.constant(lrImg)
              : lrImgSchedule, lrLrSchedule == null ? Schedule.constant(lrLr) : lrLrSchedule,
          seed);
    }
  }
}
