package org.dd4j.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.engine.Grad;
import org.dd4j.models.Params;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * GSAM (surrogate-gap guided sharpness-aware minimization) around SGD, as FTD trains its
 * experts for flat trajectories. Per batch, on one augmented batch for both passes (the
 * objective is built twice on the same augmented operand, so one run draws the DSA
 * parameters once):
 * <ol>
 *   <li>g = grad L(w);
 *   <li>n = || |w| * g ||_2 over all parameters (adaptive);
 *   <li>e = rho / (n + 1e-12) * g * w^2, a constant for the derivatives below (the
 *       parameters are not moved: L is built at w + e);
 *   <li>g_p = grad L(w + e);
 *   <li>cos = &lt;g, g_p&gt; / (||g|| ||g_p|| + 1e-12);
 *       v = g - cos * ||g|| * g_p / (||g_p|| + 1e-12); g_f = g_p - alpha * v;
 *   <li>the SGD step of {@code base} with g_f at w.
 * </ol>
 * Norms and inner products run over all parameter tensors together.
 *
 * <p>References: Zhuang et al., ICLR 2022 (GSAM); Du et al., CVPR 2023 (FTD); spec section
 * 4a.
 *
 * @param base the SGD step applied with g_f
 * @param rho perturbation radius, > 0 (FTD 0.01, constant)
 * @param alpha weight of the surrogate-gap term, >= 0 (FTD's code: 0.4, the argparse default
 *     its run_buffer.sh keeps; FTD's text: 0.3 for CIFAR-10 ipc 1/10, else 1)
 */
public record Gsam(Sgd base, double rho, double alpha) implements Optimizer {

  /** FTD's perturbation radius. */
  public static final double DEFAULT_RHO = 0.01;
  /** FTD's surrogate-gap weight as its buffer script runs (buffer_FTD.py --alpha default). */
  public static final double DEFAULT_ALPHA = 0.4;
  /** The 1e-12 of spec 4a's denominators. */
  static final double EPS = 1e-12;

  public Gsam {
    checkNotNull(base, "base");
    checkArgument(rho > 0 && Double.isFinite(rho), "rho must be > 0, got %s", rho);
    checkArgument(alpha >= 0 && Double.isFinite(alpha), "alpha must be >= 0, got %s", alpha);
  }

  @Override
  public Sgd sgd() {
    return base;
  }

  @Override
  public <T extends TFloating> List<Operand<T>> gradient(ObjectiveInputs<T> in,
      Operand<T> lossAtW, Objective objective) {
    Ops tf = in.tf();
    List<Operand<T>> w = in.params().tensors();
    Class<T> type = lossAtW.type();
    List<Operand<T>> g = Grad.of(tf, lossAtW, w); // 1.
    List<Operand<T>> wg = new ArrayList<>();
    for (int k = 0; k < w.size(); k++) {
      wg.add(tf.math.mul(tf.math.abs(w.get(k)), g.get(k)));
    }
    Operand<T> n = norm(tf, wg); // 2. []
    Operand<T> scale = tf.math.div(tf.constant(type, rho),
        tf.math.add(n, tf.constant(type, EPS))); // []
    List<Operand<T>> perturbed = new ArrayList<>();
    for (int k = 0; k < w.size(); k++) { // 3. w + e, e = scale * g * w^2
      // e is a constant of the second pass (GSAM moves p.data under no_grad): without the
      // stop, a gradient w.r.t. the input at w + e (AST's penalty) would run back through g
      Operand<T> e = tf.stopGradient(
          tf.math.mul(scale, tf.math.mul(g.get(k), tf.math.square(w.get(k)))));
      perturbed.add(tf.math.add(w.get(k), e));
    }
    Params<T> wp = new Params<>(in.params().layout(), perturbed);
    Operand<T> lossAtWp = objective.loss(in.withParams(wp));
    List<Operand<T>> gp = Grad.of(tf, lossAtWp, perturbed); // 4.
    Operand<T> eps = tf.constant(type, EPS);
    Operand<T> gNorm = norm(tf, g);
    Operand<T> gpNorm = norm(tf, gp);
    Operand<T> inner = null;
    for (int k = 0; k < w.size(); k++) {
      Operand<T> d = tf.reduceSum(tf.math.mul(g.get(k), gp.get(k)), allAxes(tf, g.get(k)));
      inner = inner == null ? d : tf.math.add(inner, d);
    }
    Operand<T> cos = tf.math.div(inner, tf.math.add(tf.math.mul(gNorm, gpNorm), eps)); // 5.
    Operand<T> gpScale = tf.math.div(tf.math.mul(cos, gNorm), tf.math.add(gpNorm, eps));
    Operand<T> a = tf.constant(type, alpha);
    List<Operand<T>> out = new ArrayList<>();
    for (int k = 0; k < w.size(); k++) {
      Operand<T> v = tf.math.sub(g.get(k), tf.math.mul(gpScale, gp.get(k)));
      out.add(tf.math.sub(gp.get(k), tf.math.mul(a, v))); // g_f
    }
    return out;
  }

  /** The L2 norm over all tensors together, a scalar. */
  private static <T extends TFloating> Operand<T> norm(Ops tf, List<Operand<T>> xs) {
    Operand<T> sum = null;
    for (Operand<T> x : xs) {
      Operand<T> s = tf.reduceSum(tf.math.square(x), allAxes(tf, x));
      sum = sum == null ? s : tf.math.add(sum, s);
    }
    return tf.math.sqrt(sum);
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<?> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "gsam");
    base.putSgd(m);
    m.put("rho", rho);
    m.put("alpha", alpha);
    return m;
  }
}
