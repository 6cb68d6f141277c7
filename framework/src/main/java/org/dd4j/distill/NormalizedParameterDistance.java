package org.dd4j.distill;

import org.dd4j.models.Params;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * MTT's normalized parameter-matching loss,
 * {@code ||w_N - w*||^2 / ||w_0 - w*||^2} with w_0 = traj[t] and w* = traj[t + M], squared
 * norms summed over all tensors. The default {@link MatchingLoss}.
 *
 * <p>References: Cazenavette et al., "Dataset Distillation by Matching Training
 * Trajectories", CVPR 2022, eq. 2; spec section 5, step 4.
 */
public record NormalizedParameterDistance() implements MatchingLoss {

  /** Its registry name. */
  public static final String NAME = "normalized-parameter-distance";

  @Override
  public <T extends TFloating> Operand<T> apply(Ops tf, Matching<T> m) {
    return normalized(tf, m.studentFinal(), m.expertStart(), m.expertTarget());
  }

  @Override
  public String name() {
    return NAME;
  }

  /** {@code ||student - target||^2 / ||start - target||^2}, a scalar. */
  public static <T extends TFloating> Operand<T> normalized(Ops tf, Params<T> student,
      Params<T> start, Params<T> target) {
    return tf.math.div(squaredDistance(tf, student, target),
        squaredDistance(tf, start, target));
  }

  /** {@code sum_k ||a_k - b_k||^2}, a scalar. */
  public static <T extends TFloating> Operand<T> squaredDistance(Ops tf, Params<T> a,
      Params<T> b) {
    Operand<T> total = null;
    for (int k = 0; k < a.layout().count(); k++) {
      Operand<T> d = tf.math.sub(a.get(k), b.get(k));
      Operand<T> s = tf.reduceSum(tf.math.square(d), allAxes(tf, a.layout().get(k).shape()));
      total = total == null ? s : tf.math.add(total, s);
    }
    return total;
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, long[] shape) {
    int[] axes = new int[shape.length];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    return tf.constant(axes);
  }
}
