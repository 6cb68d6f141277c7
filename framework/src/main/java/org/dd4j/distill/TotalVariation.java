package org.dd4j.distill;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Total variation of the synthetic images, DeepInversion's R_TV (Yin et al., "Dreaming to
 * Distill: Data-free Knowledge Transfer via DeepInversion", CVPR 2020: the image prior
 * R_prior = alpha_tv R_TV + alpha_l2 R_l2, whose terms the paper names without formulas) as
 * the authors' code computes it
 * (NVlabs/DeepInversion, deepinversion.py {@code get_image_prior_losses}): the differences
 * between neighbouring pixels in four directions over the whole batch X [n, H, W, C] (NHWC,
 * preprocessed space),
 *
 * <pre>
 *   d1 = X[:, :, :-1, :] - X[:, :, 1:, :]        (along the width)
 *   d2 = X[:, :-1, :, :] - X[:, 1:, :, :]        (along the height)
 *   d3 = X[:, 1:, :-1, :] - X[:, :-1, 1:, :]     (anti-diagonal)
 *   d4 = X[:, :-1, :-1, :] - X[:, 1:, 1:, :]     (diagonal)
 *   norm l2 (the code's loss_var_l2, its default prior): R = sum_j ||d_j||_F
 *   norm l1 (the code's loss_var_l1):                    R = sum_j mean |d_j|
 * </pre>
 *
 * <p>Units: preprocessed pixel units. The l2 form is a Frobenius norm over the whole batch,
 * not a mean, so it grows with sqrt(n H W C): weights do not carry over between set sizes.
 * Its gradient is undefined for a perfectly flat batch (every d_j zero), as in the authors'
 * code.
 */
public final class TotalVariation implements Regularizer {

  /** Registry name. */
  public static final String NAME = "total-variation";

  /** How the differences are summed. */
  public enum Norm {
    /** The Frobenius norm of each direction's differences, summed. */
    L2("l2"),
    /** The mean absolute difference of each direction, summed. */
    L1("l1");

    private final String id;

    Norm(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /** @throws IllegalArgumentException for anything but l2 or l1 */
    public static Norm named(String id) {
      return switch (id.strip().toLowerCase(Locale.ROOT)) {
        case "l2" -> L2;
        case "l1" -> L1;
        default -> throw new IllegalArgumentException("total-variation norm must be l2 or l1,"
            + " got '" + id + "'");
      };
    }
  }

  private final Norm norm;

  public TotalVariation(Norm norm) {
    this.norm = norm;
  }

  @Override
  public <T extends TFloating> Operand<T> apply(Ops tf, RegularizerInputs<T> in) {
    Operand<T> x = in.images(); // [n, H, W, C]
    Operand<T> d1 = tf.math.sub(crop(tf, x, 0, 0, 0, 1), crop(tf, x, 0, 0, 1, 0));
    Operand<T> d2 = tf.math.sub(crop(tf, x, 0, 1, 0, 0), crop(tf, x, 1, 0, 0, 0));
    Operand<T> d3 = tf.math.sub(crop(tf, x, 1, 0, 0, 1), crop(tf, x, 0, 1, 1, 0));
    Operand<T> d4 = tf.math.sub(crop(tf, x, 0, 1, 0, 1), crop(tf, x, 1, 0, 1, 0));
    Operand<T> r = null;
    for (Operand<T> d : java.util.List.of(d1, d2, d3, d4)) {
      Operand<T> term = norm == Norm.L2
          ? tf.math.sqrt(tf.reduceSum(tf.math.square(d), allAxes(tf)))
          : tf.math.mean(tf.math.abs(d), allAxes(tf));
      r = r == null ? term : tf.math.add(r, term);
    }
    return r;
  }

  /**
   * X[:, top : H - bottom, left : W - right, :]: the images without {@code top} rows at the
   * top, {@code bottom} at the bottom, {@code left} and {@code right} columns.
   */
  private static <T extends TFloating> Operand<T> crop(Ops tf, Operand<T> x, int top,
      int bottom, int left, int right) {
    long[] s = x.shape().asArray(); // n, H, W, C
    return tf.slice(x, tf.constant(new int[] {0, top, left, 0}), tf.constant(new int[] {
        (int) s[0], (int) s[1] - top - bottom, (int) s[2] - left - right, (int) s[3]}));
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf) {
    return tf.constant(new int[] {0, 1, 2, 3});
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe() {
    return NAME + "(norm=" + norm.id() + ")";
  }
}
