package org.dd4j.engine;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * SGD with momentum, the one rule every optimizer in dd4j follows, in PyTorch's convention
 * ({@code torch.optim.SGD} with dampening 0 and no Nesterov):
 *
 * <pre>
 *   d_t     = g_t + wd * w_t          (weight decay, only where a caller has wd &gt; 0)
 *   v_t     = mu * v_{t-1} + d_t      with v_0 = 0, so v_1 = d_1 (PyTorch's "buf = d_p")
 *   w_{t+1} = w_t - lr * v_t
 * </pre>
 *
 * <p>mu = 0 is plain SGD. The rule is written here once per representation, and nowhere else:
 *
 * <ul>
 *   <li>float32 Java arrays, {@link #step(float[], float[], float[], float, float)}: the
 *       distillation's image and syn_lr optimizers ({@code distill.SgdMomentum}), which
 *       update in Java from fetched gradients;
 *   <li>TensorFlow graph ops, {@link #withWeightDecay}, {@link #velocity} /
 *       {@link #velocities} and {@link #delta}: the experts' and evaluation networks'
 *       training step ({@code train.NetworkTrainer}, momentum in resource variables) and the
 *       unrolled student's inner momentum ({@code distill.StudentUnroll}, AST's code).
 * </ul>
 *
 * <p>Every product and sum is one float32 operation in the same order in both, so the two
 * agree to the bit on the same inputs ({@code HeavyBallTest}).
 *
 * <p>References: {@code torch.optim.SGD}; Polyak, "Some methods of speeding up the
 * convergence of iteration methods", 1964; spec sections 4, 4b, 5 and 6.
 */
public final class HeavyBall {

  private HeavyBall() {}

  /**
   * One step in float32 arrays: {@code v' = mu * v + g}, {@code w' = w - lr * v'}. Pure.
   *
   * @param w parameters, any length P
   * @param v momentum buffer v_{t-1}, length P (zeros before the first step)
   * @param g gradient at w, length P
   * @param lr learning rate of this step
   * @param mu momentum, in [0, 1)
   * @return {w', v'}, two new arrays of length P
   */
  public static float[][] step(float[] w, float[] v, float[] g, float lr, float mu) {
    checkArgument(w.length == v.length && g.length == v.length,
        "w (%s), v (%s) and g (%s) must have the same length", w.length, v.length, g.length);
    float[] newV = new float[v.length];
    float[] newW = new float[w.length];
    for (int i = 0; i < newW.length; i++) {
      newV[i] = mu * v[i] + g[i];
      newW[i] = w[i] - lr * newV[i];
    }
    return new float[][] {newW, newV};
  }

  /** {@code g + wd * w}, PyTorch's weight decay folded into the gradient; same shape as w. */
  public static <T extends TNumber> Operand<T> withWeightDecay(Ops tf, Operand<T> wd,
      Operand<T> w, Operand<T> g) {
    return tf.math.add(g, tf.math.mul(wd, w));
  }

  /**
   * {@code v_t = mu * v_{t-1} + d_t} in the graph.
   *
   * @param mu momentum, a scalar
   * @param previous v_{t-1}, or empty on the first step (v_0 = 0), when the result is
   *     {@code d} itself
   * @param d the (weight-decayed) gradient, same shape as v
   */
  public static <T extends TNumber> Operand<T> velocity(Ops tf, Operand<T> mu,
      Optional<Operand<T>> previous, Operand<T> d) {
    return previous.isEmpty() ? d : tf.math.add(tf.math.mul(mu, previous.get()), d);
  }

  /** {@link #velocity} for each tensor of a parameter list; {@code previous} may be null. */
  public static <T extends TNumber> List<Operand<T>> velocities(Ops tf, Operand<T> mu,
      List<Operand<T>> previous, List<Operand<T>> d) {
    checkArgument(previous == null || previous.size() == d.size(),
        "expected %s previous velocities, got %s", d.size(),
        previous == null ? 0 : previous.size());
    List<Operand<T>> out = new ArrayList<>(d.size());
    for (int k = 0; k < d.size(); k++) {
      out.add(velocity(tf, mu, previous == null ? Optional.empty()
          : Optional.of(previous.get(k)), d.get(k)));
    }
    return out;
  }

  /**
   * {@code lr * v_t}, the amount the step subtracts from w: {@code w_{t+1} = w_t - delta}
   * ({@code Params.minusScaled}, or {@code assignSubVariableOp} on a variable).
   */
  public static <T extends TNumber> Operand<T> delta(Ops tf, Operand<T> lr, Operand<T> v) {
    return tf.math.mul(lr, v);
  }
}
