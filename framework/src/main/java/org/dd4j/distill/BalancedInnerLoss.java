package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * AST's balanced inner-loop loss: with middle = T+ / 2 (the paper, a real number) or
 * T+ // 2 (the authors' code, integer division),
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
 * @param middle how the middle start epoch is computed from T+ ({@link Middle#HALF} for
 *     the paper, {@link Middle#FLOOR} for the code's {@code max_start_epoch // 2})
 */
public record BalancedInnerLoss(double theta, double logBase, Middle middle)
    implements InnerLossTransform {

  /** The middle start epoch the factor is centred on. */
  public enum Middle {
    /** T+ / 2, a real number (the paper, eq. 20). */
    HALF("half"),
    /** T+ // 2, integer division (AST's distill.py). */
    FLOOR("floor");

    private final String id;

    Middle(String id) {
      this.id = id;
    }

    /** The name in {@link #describe()} strings: "half" or "floor". */
    public String id() {
      return id;
    }

    /** @throws IllegalArgumentException for a name other than half or floor */
    public static Middle named(String id) {
      for (Middle m : values()) {
        if (m.id.equals(id)) {
          return m;
        }
      }
      throw new IllegalArgumentException("middle must be half or floor, got '" + id + "'");
    }

    double of(int maxStartEpoch) {
      return this == HALF ? maxStartEpoch / 2.0 : maxStartEpoch / 2;
    }
  }

  /** Its registry name (the paper's natural log). */
  public static final String NAME = "balanced";
  /** The registry name of the code's variant (log base 5). */
  public static final String NAME_LOG5 = "balanced-log5";

  public BalancedInnerLoss {
    checkArgument(theta > 1 && Double.isFinite(theta), "theta must be finite and > 1, got %s",
        theta);
    checkArgument(logBase > 1 && Double.isFinite(logBase),
        "logBase must be finite and > 1, got %s", logBase);
    checkNotNull(middle, "middle");
  }

  /** theta = 8, natural log, middle T+ / 2: the paper's eq. 20. */
  public static BalancedInnerLoss paper() {
    return new BalancedInnerLoss(8, Math.E, Middle.HALF);
  }

  /**
   * theta = 8, log base 5, middle T+ // 2: the authors' code (distill.py,
   * {@code math.log(start_epoch - max_start_epoch // 2 + 8, 5)}).
   */
  public static BalancedInnerLoss authorsCode() {
    return new BalancedInnerLoss(8, 5, Middle.FLOOR);
  }

  /**
   * @throws IllegalArgumentException if T+ &lt;= 0 or t is outside [0, T+)
   */
  @Override
  public double factor(int startEpoch, int maxStartEpoch) {
    checkArgument(maxStartEpoch > 0, "maxStartEpoch must be > 0, got %s", maxStartEpoch);
    checkArgument(startEpoch >= 0 && startEpoch < maxStartEpoch,
        "startEpoch must be in [0, %s), got %s", maxStartEpoch, startEpoch);
    double middle = this.middle.of(maxStartEpoch);
    double l = Math.log(Math.abs(startEpoch - middle) + theta) / Math.log(logBase);
    return startEpoch >= middle ? l : 1 / l;
  }

  @Override
  public String name() {
    return equals(authorsCode()) ? NAME_LOG5 : NAME;
  }

  @Override
  public String describe() {
    String base = logBase == Math.E ? "e" : Double.toString(logBase);
    return NAME + "(theta=" + theta + ", log_base=" + base + ", middle=" + middle.id() + ")";
  }
}
