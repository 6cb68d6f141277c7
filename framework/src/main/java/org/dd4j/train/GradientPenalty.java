package org.dd4j.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.engine.Grad;
import org.dd4j.models.Model;
import org.dd4j.models.Params;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * AST's gradient penalty, {@code mu * E[(||g||_2 - K)^2]} with
 * {@code g = d sum(logits(x)) / dx} on the un-augmented batch x: a WGAN-GP style two-sided
 * penalty that keeps the network's input gradient near K and so slows the parameter changes
 * of the expert. Its gradient w.r.t. the parameters is second order (it differentiates g),
 * so the logits come from {@link Model#forward}, never the fused first-order forward.
 *
 * <p>The norm is {@code sqrt(sum g^2 + 1e-12)}: the 1e-12 keeps the derivative finite where
 * g = 0 (a pixel with no influence) and changes the norm by at most 1e-6.
 *
 * <p>References: AST (Shen, Yang, Lam 2023), eq. 19; Gulrajani et al. 2017 (WGAN-GP); spec
 * section 4b.
 *
 * @param mu weight, >= 0 (AST paper 1, code 2)
 * @param k target norm K, >= 0 (AST 1), in logit units per input unit
 * @param norm over what the norm is taken
 */
public record GradientPenalty(double mu, double k, Norm norm) implements Objective {

  /** Over what ||g||_2 is taken before (||g|| - K)^2 is averaged. */
  public enum Norm {
    /** One norm per sample over all of H, W, C; mean over the batch (AST paper, eq. 19). */
    PER_SAMPLE,
    /**
     * One norm per pixel over the C channels; mean over batch and pixels (AST's released
     * code, {@code grad.norm(2, dim=1)} on NCHW). For 1-channel images this is |g| per pixel.
     */
    PER_PIXEL;

    /** "per-sample" or "per-pixel", as settings and the command line spell it. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * @throws IllegalArgumentException for a name other than per-sample or per-pixel
     *     ('_' is accepted for '-')
     */
    public static Norm named(String id) {
      for (Norm n : values()) {
        if (n.id().equals(id.replace('_', '-'))) {
          return n;
        }
      }
      throw new IllegalArgumentException("unknown gradient-penalty norm '" + id
          + "'; known: per-sample, per-pixel");
    }
  }

  private static final double SQRT_EPS = 1e-12;

  public GradientPenalty {
    checkArgument(mu >= 0 && Double.isFinite(mu), "mu must be >= 0, got %s", mu);
    checkArgument(k >= 0 && Double.isFinite(k), "K must be >= 0, got %s", k);
    checkNotNull(norm, "norm");
  }

  @Override
  public <T extends TFloating> Operand<T> loss(ObjectiveInputs<T> in) {
    Ops tf = in.tf();
    Operand<T> p = penalty(tf, in.model(), in.params(), in.images(), k, norm);
    return tf.math.mul(tf.constant(p.type(), mu), p);
  }

  /**
   * {@code E[(||d sum(logits) / dx||_2 - K)^2]}, without mu.
   *
   * @param images un-augmented batch x, shape [B, H, W, C]; must be an operand the
   *     gradient can be taken w.r.t. (a placeholder, or any tensor of the graph)
   * @return scalar
   */
  public static <T extends TFloating> Operand<T> penalty(Ops tf, Model model, Params<T> params,
      Operand<T> images, double k, Norm norm) {
    Operand<T> n = inputGradientNorms(tf, model, params, images, norm); // [B] or [B, H, W]
    Operand<T> dev = tf.math.square(tf.math.sub(n, tf.constant(n.type(), k)));
    return tf.math.mean(dev, tf.range(tf.constant(0), tf.rank(dev), tf.constant(1))); // []
  }

  /**
   * The norms {@code ||g||_2} the penalty pulls towards K, {@code g = d sum(logits(x)) / dx},
   * as {@code sqrt(sum g^2 + 1e-12)}.
   *
   * @param images batch x, shape [B, H, W, C] (an operand the gradient can be taken w.r.t.)
   * @return shape [B] for {@link Norm#PER_SAMPLE}, [B, H, W] for {@link Norm#PER_PIXEL}; in
   *     logit units per input unit
   */
  public static <T extends TFloating> Operand<T> inputGradientNorms(Ops tf, Model model,
      Params<T> params, Operand<T> images, Norm norm) {
    Operand<T> logits = model.forward(tf, params, images); // [B, classes]
    Operand<T> total = tf.reduceSum(logits, tf.constant(new int[] {0, 1})); // []
    Operand<T> g = Grad.of(tf, total, List.of(images)).get(0); // [B, H, W, C]
    int[] axes = norm == Norm.PER_SAMPLE ? new int[] {1, 2, 3} : new int[] {3};
    Operand<T> sq = tf.reduceSum(tf.math.square(g), tf.constant(axes)); // [B] or [B, H, W]
    return tf.math.sqrt(tf.math.add(sq, tf.constant(sq.type(), SQRT_EPS)));
  }

  @Override
  public List<Map<String, Object>> describe(int epochs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "gradient_penalty");
    m.put("mu", mu);
    m.put("k", k);
    m.put("norm", norm.name().toLowerCase(java.util.Locale.ROOT));
    m.put("input", "unaugmented");
    return List.of(m);
  }

  @Override
  public boolean needsSecondOrder() {
    return true;
  }
}
