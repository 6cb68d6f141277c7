package org.dd4j.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ZCA whitening as kornia's {@code ZCAWhitening(eps, unbiased=True)}, the preprocessing of MTT
 * on CIFAR (eps = 0.1, fitted on the whole train split of images in [0,1], no normalization
 * before).
 *
 * <p>With images flattened to rows of length D = H*W*C: {@code mean} over samples, {@code cov =
 * Xc^T Xc / (N - 1)}, {@code cov = U S U^T}, {@code T = U diag(1/sqrt(S + eps)) U^T}; whiten
 * {@code x -> (x - mean) T}; invert {@code y -> y U diag(sqrt(S + eps)) U^T + mean}. Pixels are
 * flattened in NHWC order here while kornia flattens NCHW; ZCA commutes with that permutation, so
 * the whitened images are the same pixel for pixel. As kornia takes S from an SVD, S is the
 * absolute value of the covariance eigenvalues. The covariance is summed in float32 chunks into
 * double, decomposed in double ({@link SymmetricEigen}), and T and the whitening products are
 * float32, like kornia on a GPU.
 *
 * <p>Cost on 2 cores for CIFAR (N = 50,000, D = 3072): fit about 100 s (covariance 25 s,
 * eigendecomposition about 40-60 s); whitening 60,000 images about 50 s.
 *
 * <p>References: Bell and Sejnowski, "The 'independent components' of natural scenes are edge
 * filters" (1997); Cazenavette et al., "Dataset Distillation by Matching Training Trajectories"
 * (CVPR 2022), code buffer.py; kornia.enhance.zca.
 */
public final class ZcaWhitening implements Preprocessing {

  /** eps of MTT's {@code K.enhance.ZCAWhitening(eps=0.1)}. */
  public static final double MTT_EPS = 0.1;

  private final double eps;
  private final int dim;
  private final float[] mean;       // [D]
  private final float[][] transform;  // [D][D], T
  private final float[][] inverse;    // [D][D], T^-1
  private final double[] eigenvalues;  // [D], S, descending

  private ZcaWhitening(double eps, int dim, float[] mean, float[] transform, float[] inverse,
      double[] eigenvalues) {
    this.eps = eps;
    this.dim = dim;
    this.mean = mean;
    this.transform = FloatMatrices.rows(transform, dim, dim);
    this.inverse = FloatMatrices.rows(inverse, dim, dim);
    this.eigenvalues = eigenvalues;
  }

  /**
   * Fits on a set of images.
   *
   * @param train images [N, H, W, C] float32, in [0,1] as MTT does; N >= 2
   * @param eps added to every eigenvalue before the inverse square root; MTT uses {@link
   *     #MTT_EPS}
   * @throws IllegalArgumentException if eps <= 0 or N < 2
   * @throws DatasetException if the eigendecomposition fails
   */
  public static ZcaWhitening fit(ImageSet train, double eps) {
    checkArgument(eps > 0, "eps must be > 0, got %s", eps);
    int n = train.count();
    int d = train.imageSize();
    checkArgument(n >= 2, "ZCA needs at least 2 images, got %s", n);
    float[] x = train.images();
    double[] mean = new double[d];
    for (int s = 0; s < n; s++) {
      for (int i = 0; i < d; i++) {
        mean[i] += x[s * d + i];
      }
    }
    for (int i = 0; i < d; i++) {
      mean[i] /= n;
    }
    double[] cov = FloatMatrices.covariance(x, n, d, mean);
    SymmetricEigen.Result eig = SymmetricEigen.decompose(cov, d);
    // scaled[i][k] = U[i, k] * f(S_k); T = scaled U^T, with uT[k][i] = U[i, k].
    float[][] uT = new float[d][d];
    float[] scaledForward = new float[d * d];
    float[] scaledInverse = new float[d * d];
    double[] s = new double[d];
    for (int k = 0; k < d; k++) {
      s[k] = Math.abs(eig.values()[k]);
    }
    for (int i = 0; i < d; i++) {
      double[] row = eig.vectors()[i];
      for (int k = 0; k < d; k++) {
        double v = row[k];
        uT[k][i] = (float) v;
        scaledForward[i * d + k] = (float) (v / Math.sqrt(s[k] + eps));
        scaledInverse[i * d + k] = (float) (v * Math.sqrt(s[k] + eps));
      }
    }
    float[] transform = FloatMatrices.multiply(scaledForward, d, d, null, uT, d, null);
    float[] inverse = FloatMatrices.multiply(scaledInverse, d, d, null, uT, d, null);
    float[] meanF = new float[d];
    for (int i = 0; i < d; i++) {
      meanF[i] = (float) mean[i];
    }
    double[] sorted = s.clone();
    java.util.Arrays.sort(sorted);
    double[] descending = new double[d];
    for (int i = 0; i < d; i++) {
      descending[i] = sorted[d - 1 - i];
    }
    return new ZcaWhitening(eps, d, meanF, transform, inverse, descending);
  }

  /** Per-pixel mean [D] of the fitting set, NHWC-flattened. */
  public float[] mean() {
    return mean.clone();
  }

  /** Whitening matrix T [D, D], row-major (symmetric). */
  public float[] transform() {
    float[] out = new float[dim * dim];
    for (int i = 0; i < dim; i++) {
      System.arraycopy(transform[i], 0, out, i * dim, dim);
    }
    return out;
  }

  /** Eigenvalues S of the covariance [D], descending. */
  public double[] eigenvalues() {
    return eigenvalues.clone();
  }

  @Override
  public String name() {
    return "zca";
  }

  @Override
  public float[] apply(float[] images) {
    checkLength(images);
    return FloatMatrices.multiply(images, images.length / dim, dim, mean, transform, dim, null);
  }

  @Override
  public float[] invert(float[] images) {
    checkLength(images);
    return FloatMatrices.multiply(images, images.length / dim, dim, null, inverse, dim, mean);
  }

  private void checkLength(float[] images) {
    checkArgument(images.length % dim == 0,
        "%s floats are not whole images of %s values (fitted size)", images.length, dim);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name());
    out.put("eps", eps);
    out.put("dim", dim);
    out.put("unbiased", true);
    out.put("reference", "kornia.enhance.ZCAWhitening");
    return out;
  }
}
