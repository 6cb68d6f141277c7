package org.dd4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

  /** N images of 2x2x3 (D = 12) in [0,1] with correlated pixels: x = 0.5 + 0.1 * z A. */
  static ImageSet correlated(int n, long seed) {
    Random random = new Random(seed);
    int d = 12;
    double[] mix = new double[d * d];
    for (int i = 0; i < mix.length; i++) {
      mix[i] = random.nextGaussian() * (i % (d + 1) == 0 ? 1.0 : 0.4);
    }
    float[] images = new float[n * d];
    for (int s = 0; s < n; s++) {
      double[] z = new double[d];
      for (int i = 0; i < d; i++) {
        z[i] = random.nextGaussian() * (i + 1) / d;
      }
      for (int j = 0; j < d; j++) {
        double v = 0.5;
        for (int i = 0; i < d; i++) {
          v += 0.1 * z[i] * mix[i * d + j];
        }
        images[s * d + j] = (float) v;
      }
    }
    return new ImageSet(images, new int[n], 2, 2, 3);
  }

  @Test
  void normalizationGivesZeroMeanUnitStdPerChannelAndInverts() {
    ImageSet train = correlated(400, 1);
    ChannelNormalization norm = ChannelNormalization.fit(train);
    float[] out = norm.apply(train).images();
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      double sumSq = 0;
      int count = 0;
      for (int i = c; i < out.length; i += 3) {
        sum += out[i];
        sumSq += out[i] * out[i];
        count++;
      }
      assertEquals(0, sum / count, 1e-5);
      assertEquals(1, Math.sqrt(sumSq / count), 1e-4);
    }
    float[] back = norm.invert(out);
    for (int i = 0; i < back.length; i++) {
      assertEquals(train.images()[i], back[i], 1e-5);
    }
    assertEquals("normalize-fitted", norm.describe().get("name"));
  }

  @Test
  void zcaMatchesDirectEjmlComputationAndInverts() {
    ImageSet train = correlated(500, 2);
    int n = 500;
    int d = 12;
    double eps = 0.1;
    ZcaWhitening zca = ZcaWhitening.fit(train, eps);

    // Reference: double-precision kornia formula with EJML.
    DMatrixRMaj x = new DMatrixRMaj(n, d);
    for (int i = 0; i < n * d; i++) {
      x.data[i] = train.images()[i];
    }
    DMatrixRMaj mean = new DMatrixRMaj(1, d);
    CommonOps_DDRM.sumCols(x, mean);
    CommonOps_DDRM.divide(mean, n);
    DMatrixRMaj xc = x.copy();
    for (int s = 0; s < n; s++) {
      for (int i = 0; i < d; i++) {
        xc.data[s * d + i] -= mean.data[i];
      }
    }
    DMatrixRMaj cov = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransA(xc, xc, cov);
    CommonOps_DDRM.divide(cov, n - 1);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    eig.decompose(cov.copy());
    DMatrixRMaj u = new DMatrixRMaj(d, d);
    double[] s = new double[d];
    for (int k = 0; k < d; k++) {
      s[k] = eig.getEigenvalue(k).real;
      for (int i = 0; i < d; i++) {
        u.set(i, k, eig.getEigenVector(k).get(i));
      }
    }
    DMatrixRMaj scaled = u.copy();
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < d; k++) {
        scaled.set(i, k, u.get(i, k) / Math.sqrt(s[k] + eps));
      }
    }
    DMatrixRMaj expectedT = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransB(scaled, u, expectedT);
    double[] sorted = s.clone();
    java.util.Arrays.sort(sorted);
    double[] values = zca.eigenvalues();
    for (int k = 0; k < d; k++) {
      assertEquals(sorted[d - 1 - k], values[k], 1e-6 * (1 + sorted[d - 1 - k]), "S " + k);
    }
    float[] t = zca.transform();
    for (int i = 0; i < d * d; i++) {
      assertEquals(expectedT.data[i], t[i], 1e-4 * (1 + Math.abs(expectedT.data[i])), "T " + i);
    }

    // Whitened covariance in the U basis is diag(S / (S + eps)).
    float[] white = zca.apply(train).images();
    DMatrixRMaj w = new DMatrixRMaj(n, d);
    for (int i = 0; i < n * d; i++) {
      w.data[i] = white[i];
    }
    DMatrixRMaj covW = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransA(w, w, covW);  // whitened mean is 0
    CommonOps_DDRM.divide(covW, n - 1);
    DMatrixRMaj tmp = new DMatrixRMaj(d, d);
    DMatrixRMaj inU = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransA(u, covW, tmp);
    CommonOps_DDRM.mult(tmp, u, inU);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double expected = i == j ? s[i] / (s[i] + eps) : 0;
        assertEquals(expected, inU.get(i, j), 1e-4, "U^T cov_w U at " + i + "," + j);
      }
    }

    float[] back = zca.invert(white);
    for (int i = 0; i < back.length; i++) {
      assertEquals(train.images()[i], back[i], 1e-4);
    }
    assertEquals(0.1, zca.describe().get("eps"));
  }

  @Test
  void zcaProductsSpanSeveralBatches() {
    int n = ZcaWhitening.BATCH + 37;
    int d = 12;
    ImageSet train = correlated(n, 3);
    ZcaWhitening zca = ZcaWhitening.fit(train, 0.1);
    float[] t = zca.transform();
    float[] mean = zca.mean();
    float[] white = zca.apply(train.images());
    for (int r : new int[] {0, ZcaWhitening.BATCH - 1, ZcaWhitening.BATCH, n - 1}) {
      for (int j = 0; j < d; j++) {
        double expected = 0;
        for (int i = 0; i < d; i++) {
          expected += (train.images()[r * d + i] - mean[i]) * (double) t[i * d + j];
        }
        assertEquals(expected, white[r * d + j], 1e-5, "row " + r + " col " + j);
      }
    }
    float[] back = zca.invert(white);
    for (int i = 0; i < back.length; i++) {
      assertEquals(train.images()[i], back[i], 1e-4);
    }
    assertEquals(0, zca.apply(new float[0]).length);
  }
}
