package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.SplittableRandom;
import org.dd4j.models.ParamLayout;
import org.dd4j.models.ParamShape;

/**
 * AST's weight perturbation of the expert start, filter-wise: for every output filter j of
 * every convolution weight (a rank-4 HWIO tensor [kh, kw, in, out]; filter j is the slice
 * [:, :, :, j]), {@code d ~ N(0, I)}, {@code d <- d / ||d||_F * ||w_j||_F},
 * {@code w_j <- w_j + rho * d}; so each filter moves by exactly {@code rho * ||w_j||_F}.
 *
 * <p>Other parameters are left unperturbed: biases and normalization parameters (rank 1), as
 * in the filter normalization of Li et al. ("Visualizing the Loss Landscape of Neural Nets",
 * NeurIPS 2018) that eq. 23 follows, and the linear layer's weight (rank 2), since the paper
 * perturbs "every conv filter". A filter of norm 0 stays 0.
 *
 * <p>Arithmetic in double, the result rounded to float32. Draws from the generator in
 * layout order, filter by filter, each filter's values in HWI row-major order.
 *
 * <p>References: Shen et al., AST (arXiv 2310.10541), section IV-D2, eq. 23 (rho = 0.1,
 * section V); spec section 5b.
 *
 * @param rho the perturbation's size relative to each filter's norm, finite and >= 0
 */
public record FilterWisePerturbation(double rho) implements StartPerturbation {

  /** Its registry name. */
  public static final String NAME = "filter-wise";

  public FilterWisePerturbation {
    checkArgument(rho >= 0 && Double.isFinite(rho), "rho must be finite and >= 0, got %s", rho);
  }

  /** rho = 0.1, the paper's setting. */
  public static FilterWisePerturbation paper() {
    return new FilterWisePerturbation(0.1);
  }

  /**
   * Draws d from {@code rng} filter by filter, each filter's values in HWI row-major order,
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
      if (!isConvWeight(p)) {
        continue;
      }
      int off = Math.toIntExact(layout.offset(k));
      int filters = Math.toIntExact(p.shape()[3]);
      int perFilter = Math.toIntExact(p.size() / filters);
      for (int j = 0; j < filters; j++) {
        for (int e = 0; e < perFilter; e++) {
          noise[off + e * filters + j] = rng.nextGaussian(); // HWIO row-major
        }
      }
    }
    return perturbWith(w0, layout, noise);
  }

  /**
   * The rule with a given d.
   *
   * @param w0 flat parameters [P] in {@code layout} order (not modified)
   * @param noise the unnormalized d, flat [P] in the same order (conv weights HWIO); only the
   *     conv weights' entries are read
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
      if (!isConvWeight(p)) {
        continue;
      }
      int off = Math.toIntExact(layout.offset(k));
      int filters = Math.toIntExact(p.shape()[3]);
      int perFilter = Math.toIntExact(p.size() / filters);
      for (int j = 0; j < filters; j++) {
        // element e of filter j sits at off + e * filters + j (HWIO row-major)
        double dn = 0;
        double wn = 0;
        for (int e = 0; e < perFilter; e++) {
          int i = off + e * filters + j;
          dn += noise[i] * noise[i];
          wn += (double) w0[i] * w0[i];
        }
        double scale = dn == 0 ? 0 : rho * Math.sqrt(wn) / Math.sqrt(dn);
        for (int e = 0; e < perFilter; e++) {
          int i = off + e * filters + j;
          out[i] = (float) (w0[i] + scale * noise[i]);
        }
      }
    }
    return out;
  }

  /** A convolution weight: rank 4 (HWIO). */
  static boolean isConvWeight(ParamShape p) {
    return p.shape().length == 4;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe() {
    return NAME + "(rho=" + rho + ")";
  }
}
