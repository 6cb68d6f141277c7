package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.SplittableRandom;
import org.dd4j.models.ParamLayout;
import org.dd4j.models.ParamShape;

/**
 * The authors'-code variant of AST's weight perturbation, as spec section 5b summarizes it
 * ("per conv layer, multiplicative, coefficient 1"): for every convolution weight W (rank 4)
 * as a whole, {@code d ~ N(0, I)}, {@code d <- d * (||W||_F / ||d||_F)} (a multiplicative
 * rescale of d to the layer's norm), {@code W <- W + coefficient * d}. The layer moves by
 * exactly {@code coefficient * ||W||_F}; other parameters are unperturbed. This is our
 * reading of the code's rule, not a transcription of it; the paper's rule is
 * {@link FilterWisePerturbation}.
 *
 * <p>References: Shen et al., AST (arXiv 2310.10541), eq. 23 and its code; spec section 5b.
 *
 * @param coefficient the perturbation's size relative to each layer's norm, finite, >= 0
 *     (code: 1)
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

  /** @throws IllegalArgumentException if {@code w0}'s length is not the layout's size */
  @Override
  public float[] perturb(float[] w0, ParamLayout layout, SplittableRandom rng) {
    checkArgument(w0.length == layout.totalSize(), "w0 has %s values, the layout %s",
        w0.length, layout.totalSize());
    float[] out = w0.clone();
    for (int k = 0; k < layout.count(); k++) {
      ParamShape p = layout.get(k);
      if (!FilterWisePerturbation.isConvWeight(p)) {
        continue;
      }
      int off = Math.toIntExact(layout.offset(k));
      int size = Math.toIntExact(p.size());
      double[] d = new double[size];
      double dn = 0;
      double wn = 0;
      for (int e = 0; e < size; e++) {
        d[e] = rng.nextGaussian();
        dn += d[e] * d[e];
        wn += (double) w0[off + e] * w0[off + e];
      }
      double scale = dn == 0 ? 0 : coefficient * Math.sqrt(wn) / Math.sqrt(dn);
      for (int e = 0; e < size; e++) {
        out[off + e] = (float) (w0[off + e] + scale * d[e]);
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
