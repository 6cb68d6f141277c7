package org.dd4j.evaluate;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.List;
import org.dd4j.Accuracy;

/**
 * DD-Ranking's label- and augmentation-robust scores of a distilled set, from accuracies as
 * fractions of the test set in [0, 1]. One evaluation round gives one value of each; the
 * reported figure is the mean (and population std, numpy's np.std) over rounds, as
 * DD-Ranking's {@code compute_metrics} averages its {@code num_eval} rounds.
 *
 * <ul>
 *   <li>HLR (hard-label recovery) = Acc(real, hard) - Acc(syn, hard);
 *   <li>IOR (improvement over random) = Acc(syn, any) - Acc(random real subset of the same
 *       size, the same evaluation);
 *   <li>LRS: alpha = w IOR - (1 - w) HLR, LRS = (e^alpha - e^-1) / (e - e^-1) (w = 0.5);
 *   <li>ARS: beta = gamma (Acc(syn, aug) - Acc(rdm, aug)) + (1 - gamma) (Acc(syn, no aug) -
 *       Acc(rdm, no aug)), normalised as LRS (gamma = 0.5).
 * </ul>
 *
 * <p>The normalisation maps alpha in [-1, 1] onto [0, 1] only for accuracies as fractions,
 * which is how the DD-Ranking paper and docs define it (doc/introduction.md, "LRS is
 * normalized to [0, 1]"); their code (ddranking/metrics/soft_label.py, hard_label.py,
 * aug_robust.py) feeds it accuracies in percent, where e^alpha leaves that range. dd4j
 * follows the definition: fractions in, LRS and ARS in [0, 1] (shown x 100 %).
 *
 * <p>References: NUS-HPC-AI-Lab/DD-Ranking, doc/introduction.md and doc/metrics/;
 * ddranking/metrics/soft_label.py {@code compute_metrics} (hlr, ior, alpha, lrs),
 * aug_robust.py {@code compute_metrics} (with_aug_score, without_aug_score, beta, ars).
 */
public final class DdRankingScores {

  /** DD-Ranking's default w ({@code lrs_lambda}) and gamma ({@code ars_lambda}). */
  public static final double DEFAULT_WEIGHT = 0.5;

  private DdRankingScores() {}

  /** HLR = Acc(real, hard) - Acc(syn, hard), accuracies in [0, 1]. */
  public static double hlr(double fullDataHardAccuracy, double synHardAccuracy) {
    return checkAccuracy(fullDataHardAccuracy) - checkAccuracy(synHardAccuracy);
  }

  /** IOR = Acc(syn) - Acc(random subset), both under the same evaluation, in [0, 1]. */
  public static double ior(double synAccuracy, double randomAccuracy) {
    return checkAccuracy(synAccuracy) - checkAccuracy(randomAccuracy);
  }

  /**
   * LRS = (e^alpha - e^-1) / (e - e^-1), alpha = w IOR - (1 - w) HLR.
   *
   * @param w weight of IOR in [0, 1] (DD-Ranking: 0.5)
   * @return in [0, 1] for HLR, IOR in [-1, 1]
   */
  public static double lrs(double hlr, double ior, double w) {
    checkWeight(w);
    return normalise(w * ior - (1 - w) * hlr);
  }

  /**
   * ARS = (e^beta - e^-1) / (e - e^-1), beta = gamma (syn - rdm with augmentation) +
   * (1 - gamma) (syn - rdm without).
   *
   * @param gamma weight of the augmented difference in [0, 1] (DD-Ranking: 0.5)
   */
  public static double ars(double synAug, double randomAug, double synNoAug,
      double randomNoAug, double gamma) {
    checkWeight(gamma);
    return normalise(gamma * ior(synAug, randomAug) + (1 - gamma) * ior(synNoAug, randomNoAug));
  }

  /** DD-Ranking's normalisation (e^x - e^-1) / (e - e^-1): -1 -&gt; 0, 0 -&gt; 0.269, 1 -&gt; 1. */
  public static double normalise(double x) {
    return (Math.exp(x) - Math.exp(-1)) / (Math.exp(1) - Math.exp(-1));
  }

  /**
   * The accuracies of one evaluation round (one network per measurement, its own seed).
   *
   * @param synHard the set with hard (class) labels, no augmentation
   * @param synAny the set under its own evaluation (soft labels if it has them, DSA)
   * @param randomAny a random real subset of the same size, same evaluation as synAny
   * @param synNoAug synAny's evaluation without augmentation
   * @param randomNoAug randomAny's evaluation without augmentation
   */
  public record Round(double synHard, double synAny, double randomAny, double synNoAug,
      double randomNoAug) {}

  /**
   * The scores over rounds: per round HLR, IOR, LRS and ARS, then their mean and population
   * std.
   *
   * @param fullDataHardAccuracy Acc(real, hard), in [0, 1]
   * @param lrsWeight w; arsWeight gamma
   */
  public record Summary(double[] hlr, double[] ior, double[] lrs, double[] ars) {

    public static Summary of(double fullDataHardAccuracy, List<Round> rounds,
        double lrsWeight, double arsWeight) {
      checkArgument(!rounds.isEmpty(), "no evaluation rounds");
      int n = rounds.size();
      double[] h = new double[n];
      double[] i = new double[n];
      double[] l = new double[n];
      double[] a = new double[n];
      for (int k = 0; k < n; k++) {
        Round r = rounds.get(k);
        h[k] = DdRankingScores.hlr(fullDataHardAccuracy, r.synHard());
        i[k] = DdRankingScores.ior(r.synAny(), r.randomAny());
        l[k] = DdRankingScores.lrs(h[k], i[k], lrsWeight);
        a[k] = DdRankingScores.ars(r.synAny(), r.randomAny(), r.synNoAug(), r.randomNoAug(), arsWeight);
      }
      return new Summary(h, i, l, a);
    }

    public static double mean(double[] v) {
      return Arrays.stream(v).average().orElseThrow();
    }

    /** Population standard deviation, as numpy's np.std. */
    public static double std(double[] v) {
      double m = mean(v);
      return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / v.length);
    }

    /** "HLR 12.30 +- 0.40 %, IOR ..., LRS ..., ARS ..." (all x 100). */
    @Override
    public String toString() {
      return String.format("HLR %s, IOR %s, LRS %s, ARS %s", pct(hlr), pct(ior), pct(lrs),
          pct(ars));
    }

    /** "mean +- std %" of per-round fractions, x 100. */
    public static String pct(double[] v) {
      return Accuracy.meanStd(mean(v), std(v));
    }
  }

  private static double checkAccuracy(double a) {
    checkArgument(a >= 0 && a <= 1, "an accuracy must be a fraction in [0, 1], got %s", a);
    return a;
  }

  private static void checkWeight(double w) {
    checkArgument(w >= 0 && w <= 1, "the weight must be in [0, 1], got %s", w);
  }
}
