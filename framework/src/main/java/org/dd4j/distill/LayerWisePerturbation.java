package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.SplittableRandom;
import org.dd4j.models.ParamLayout;
import org.dd4j.models.ParamShape;

/**
 * The authors'-code variant of AST's weight perturbation (distill.py {@code weightPerturb},
 * alpha = 1): for every convolution weight W (rank 4) as a whole, {@code d ~ N(0, I)} of W's
 * shape, {@code d <- d / ||d||_F}, {@code W <- W + coefficient * d * W} (element-wise product
 * with W itself). Each weight moves by about {@code coefficient / sqrt(numel(W))} of its own
 * value; biases, normalization and linear parameters are unperturbed. The paper's rule
 * (eq. 23, each filter moved by rho times its norm) is {@link FilterWisePerturbation}.
 *
 * <p>Element-wise, so the result does not depend on the layout (HWIO here, OIHW in PyTorch)
 * as long as d and W correspond element by element. Arithmetic in double, rounded to float32.
 *
 * <p>References: Shen et al., AST (arXiv 2310.10541), eq. 23 and its code
 * (shenjiyuan123/AST-Alignment-with-Smooth-Expert, distill.py weightPerturb); spec section 5b.
 *
 * @param coefficient the code's alpha, finite, >= 0 (code: 1)
 */
public record LayerWisePerturbation(double coefficient) implements StartPerturbation {

  /** Its registry name. */
  public static final String NAME = "layer-wise";

  public LayerWisePerturbation {
    checkArgument(coefficient >= 0 && Double.isFinite(coefficient),
        "coefficient must be finite and >= 0, got %s", coefficient);
  }

  /** coefficient 1, the code's setting. */
  public static LayerWisePerturbation authorsCode() {
    return new LayerWisePerturbation(1);
  }

  /**
   * Draws d from {@code rng} (every conv weight in layout order, its values in layout order)
   * and applies {@link #perturbWith}.
   *
   * @throws IllegalArgumentException if {@code w0}'s length is not the layout's size
   */
  @Override
  public float[] perturb(float[] w0, ParamLayout layout, SplittableRandom rng) {
    checkArgument(w0.length == layout.totalSize(), "w0 has %s values, the layout %s",
        w0.length, layout.totalSize());
    double[] noise = new double[w0.length];
    for (int k = 0; k < layout.count(); k++) {
      ParamShape p = layout.get(k);
      if (FilterWisePerturbation.isConvWeight(p)) {
        int off = Math.toIntExact(layout.offset(k));
        for (int e = 0; e < p.size(); e++) {
          noise[off + e] = rng.nextGaussian();
        }
      }
    }
    return perturbWith(w0, layout, noise);
  }

  /**
   * The rule with a given d.
   *
   * @param w0 flat parameters [P] in {@code layout} order (not modified)
   * @param noise the unnormalized d, flat [P] in the same order; only the conv weights'
   *     entries are read
   * @return the perturbed parameters, a new array of length P
   * @throws IllegalArgumentException if a length is not the layout's size
   */
  public float[] perturbWith(float[] w0, ParamLayout layout, double[] noise) {
    checkArgument(w0.length == layout.totalSize() && noise.length == w0.length,
        "w0 (%s) and noise (%s) must have the layout's %s values", w0.length, noise.length,
        layout.totalSize());
    float[] out = w0.clone();
    for (int k = 0; k < layout.count(); k++) {
      ParamShape p = layout.get(k);
      if (!FilterWisePerturbation.isConvWeight(p)) {
        continue;
      }
      int off = Math.toIntExact(layout.offset(k));
      int size = Math.toIntExact(p.size());
      double dn = 0;
      for (int e = 0; e < size; e++) {
        dn += noise[off + e] * noise[off + e];
      }
      double scale = dn == 0 ? 0 : coefficient / Math.sqrt(dn); // alpha / ||d||_F
      for (int e = 0; e < size; e++) {
        double w = w0[off + e];
        out[off + e] = (float) (w + scale * noise[off + e] * w);
      }
    }
    return out;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe() {
    return NAME + "(coefficient=" + coefficient + ")";
  }
}
