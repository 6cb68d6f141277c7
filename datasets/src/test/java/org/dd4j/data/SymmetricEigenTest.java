package org.dd4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

  static double[] randomSymmetric(int n, long seed) {
    Random random = new Random(seed);
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = random.nextGaussian();
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    }
    return a;
  }

  @Test
  void reconstructsMatrixWithOrthonormalVectorsAndMatchesEjmlEigenvalues() {
    for (int n : new int[] {1, 2, 3, 17, 130}) {
      double[] a = randomSymmetric(n, n);
      SymmetricEigen.Result eig = SymmetricEigen.decompose(a.clone(), n);
      double[][] u = eig.vectors();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double rebuilt = 0;
          double gram = 0;
          for (int k = 0; k < n; k++) {
            rebuilt += u[i][k] * eig.values()[k] * u[j][k];
            gram += u[k][i] * u[k][j];
          }
          assertEquals(a[i * n + j], rebuilt, 1e-10, "n=" + n + " A at " + i + "," + j);
          assertEquals(i == j ? 1 : 0, gram, 1e-12, "n=" + n + " U^T U at " + i + "," + j);
        }
      }
      EigenDecomposition_F64<DMatrixRMaj> ejml = DecompositionFactory_DDRM.eig(n, false, true);
      ejml.decompose(DMatrixRMaj.wrap(n, n, a.clone()));
      double[] expected = new double[n];
      for (int k = 0; k < n; k++) {
        expected[k] = ejml.getEigenvalue(k).real;
      }
      double[] found = eig.values().clone();
      Arrays.sort(expected);
      Arrays.sort(found);
      assertArrayEquals(expected, found, 1e-10, "n=" + n);
    }
  }

  @Test
  void handlesAlreadyDiagonalAndRepeatedEigenvalues() {
    int n = 5;
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      a[i * n + i] = i < 3 ? 2 : -1;
    }
    SymmetricEigen.Result eig = SymmetricEigen.decompose(a, n);
    double[] values = eig.values().clone();
    Arrays.sort(values);
    assertArrayEquals(new double[] {-1, -1, 2, 2, 2}, values, 1e-15);
  }
}
