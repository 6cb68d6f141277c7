package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * AST's balanced inner-loop loss: with middle = T+ / 2 (a real number),
 * {@code nu = log(|t - middle| + theta)} if {@code t >= middle}, else
 * {@code 1 / log(|middle - t| + theta)}; each student step's cross-entropy is multiplied by
 * nu, so late (flatter) starts get larger student steps' losses and early starts smaller
 * ones. The paper's log is natural ({@link #paper()}); the authors' code uses log base 5
 * ({@link #authorsCode()}).
 *
 * <p>References: Shen et al., AST (arXiv 2310.10541), section IV-C2, eq. 20 (theta = 8,
 * section V); spec section 5b.
 *
 * @param theta offset inside the log, > 1 so that every log, and so nu, is > 0
 * @param logBase base of the log, > 1 ({@link Math#E} for the paper, 5 for the code)
 */
public record BalancedInnerLoss(double theta, double logBase) implements InnerLossTransform {

  /** Its registry name (the paper's natural log). */
  public static final String NAME = "balanced";
  /** The registry name of the code's variant (log base 5). */
  public static final String NAME_LOG5 = "balanced-log5";

  public BalancedInnerLoss {
    checkArgument(theta > 1 && Double.isFinite(theta), "theta must be finite and > 1, got %s",
        theta);
    checkArgument(logBase > 1 && Double.isFinite(logBase),
        "logBase must be finite and > 1, got %s", logBase);
  }

  /** theta = 8, natural log: the paper's eq. 20. */
  public static BalancedInnerLoss paper() {
    return new BalancedInnerLoss(8, Math.E);
  }

  /** theta = 8, log base 5: the authors' code. */
  public static BalancedInnerLoss authorsCode() {
    return new BalancedInnerLoss(8, 5);
  }

  /**
   * @throws IllegalArgumentException if T+ &lt;= 0 or t is outside [0, T+)
   */
  @Override
  public double factor(int startEpoch, int maxStartEpoch) {
    checkArgument(maxStartEpoch > 0, "maxStartEpoch must be > 0, got %s", maxStartEpoch);
    checkArgument(startEpoch >= 0 && startEpoch < maxStartEpoch,
        "startEpoch must be in [0, %s), got %s", maxStartEpoch, startEpoch);
    double middle = maxStartEpoch / 2.0;
    double l = Math.log(Math.abs(startEpoch - middle) + theta) / Math.log(logBase);
    return startEpoch >= middle ? l : 1 / l;
  }

  @Override
  public String name() {
    return logBase == 5 ? NAME_LOG5 : NAME;
  }

  @Override
  public String describe() {
    String base = logBase == Math.E ? "e" : Double.toString(logBase);
    return NAME + "(theta=" + theta + ", log_base=" + base + ")";
  }
}
