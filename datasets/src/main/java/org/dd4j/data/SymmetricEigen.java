package org.dd4j.data;

import java.util.stream.IntStream;

/**
 * Eigendecomposition of a dense symmetric matrix, {@code A = U diag(S) U^T}, written for large
 * covariance matrices (D = 3072 for CIFAR) where a general-purpose Java solver takes minutes.
 *
 * <p>Householder tridiagonalization, then the implicit QL algorithm with shifts on the
 * tridiagonal matrix (tql2 of EISPACK / JAMA), then the Householder reflections are applied to the
 * tridiagonal eigenvectors. Every O(n^3) loop runs along rows with one index for all arrays (so
 * the JIT vectorizes it) and the larger ones are split over cores.
 *
 * <p>References: Golub and Van Loan, "Matrix Computations" (4th ed.), 8.3.1 and 8.3.3; JAMA
 * EigenvalueDecomposition (public domain), tql2.
 */
final class SymmetricEigen {

  /** Eigenvalues S [n] (unsorted) and eigenvectors U [n][n], U[i][k] = component i of vector k. */
  record Result(double[] values, double[][] vectors) {}

  private static final int MAX_QL_ITERATIONS = 100;
  /**
   * Columns per stripe of eigenvectors: long enough for the JIT's unrolled SIMD loop (32 ran
   * scalar, 2.5x slower), short enough that a stripe is reused from cache across rotations.
   */
  private static final int STRIPE = 256;
  /** Rotations recorded before they are applied to the eigenvectors. */
  private static final int ROTATION_BATCH = 1 << 20;

  private SymmetricEigen() {}

  /**
   * @param matrix symmetric [n, n], row-major; destroyed
   * @throws DatasetException if the QL iteration does not converge
   */
  static Result decompose(double[] matrix, int n) {
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = new double[n];
      System.arraycopy(matrix, i * n, a[i], 0, n);
    }
    double[] d = new double[n];
    double[] e = new double[n];
    double[] beta = new double[n];
    tridiagonalize(a, n, d, e, beta);
    double[][] wt = new double[n][n];  // rows: eigenvectors of the tridiagonal matrix
    for (int i = 0; i < n; i++) {
      wt[i][i] = 1;
    }
    ql(d, e, wt, n);
    double[][] u = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        u[k][i] = wt[i][k];
      }
    }
    applyReflections(a, beta, u, n);
    return new Result(d, u);
  }

  /**
   * Reduces a to tridiagonal form with reflections H_k = I - beta_k v_k v_k^T, k = 0..n-3; v_k
   * is left in a[k][k+1..n-1]. Output: d diagonal, e[i] = T[i][i-1] (e[0] = 0).
   */
  private static void tridiagonalize(double[][] a, int n, double[] d, double[] e, double[] beta) {
    double[] p = new double[n];
    double[] w = new double[n];
    int tasks = Math.max(1, 2 * Runtime.getRuntime().availableProcessors());
    for (int k = 0; k < n - 2; k++) {
      d[k] = a[k][k];
      double[] v = a[k];  // x = column k below the diagonal = row k right of it
      int start = k + 1;
      double norm = 0;
      for (int j = start; j < n; j++) {
        norm += v[j] * v[j];
      }
      norm = Math.sqrt(norm);
      if (norm == 0) {
        e[start] = 0;
        beta[k] = 0;
        continue;
      }
      double alpha = v[start] >= 0 ? -norm : norm;
      double v0 = v[start] - alpha;
      v[start] = v0;
      double vv = norm * norm - (v0 + alpha) * (v0 + alpha) + v0 * v0;
      double b = 2 / vv;
      beta[k] = b;
      e[start] = alpha;
      // p = b * A22 v, by rows of A22 (symmetric), split over column ranges of p.
      java.util.Arrays.fill(p, start, n, 0);
      IntStream.range(0, tasks).parallel().forEach(t -> {
        int i0 = start + (int) ((long) (n - start) * t / tasks);
        int i1 = start + (int) ((long) (n - start) * (t + 1) / tasks);
        for (int j = start; j < n; j++) {
          double vj = v[j];
          double[] row = a[j];
          for (int i = i0; i < i1; i++) {
            p[i] += vj * row[i];
          }
        }
      });
      double vp = 0;
      for (int j = start; j < n; j++) {
        p[j] *= b;
        vp += v[j] * p[j];
      }
      double half = b * vp / 2;
      for (int j = start; j < n; j++) {
        w[j] = p[j] - half * v[j];
      }
      // A22 -= v w^T + w v^T
      IntStream.range(start, n).parallel().forEach(i -> {
        double[] row = a[i];
        double vi = v[i];
        double wi = w[i];
        for (int j = start; j < n; j++) {
          row[j] -= vi * w[j] + wi * v[j];
        }
      });
    }
    if (n >= 2) {
      d[n - 2] = a[n - 2][n - 2];
      e[n - 1] = a[n - 1][n - 2];
      beta[n - 2] = 0;
    }
    d[n - 1] = a[n - 1][n - 1];
    e[0] = 0;
  }

  /**
   * Implicit QL with shifts (JAMA tql2). On return d holds the eigenvalues and row r of wt the
   * eigenvector of the tridiagonal matrix for d[r].
   */
  private static void ql(double[] d, double[] e, double[][] wt, int n) {
    Rotations rotations = new Rotations(wt, n);
    for (int i = 1; i < n; i++) {
      e[i - 1] = e[i];
    }
    e[n - 1] = 0;
    double f = 0;
    double tst1 = 0;
    double eps = Math.ulp(1.0);
    for (int l = 0; l < n; l++) {
      tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
      int m = l;
      while (m < n && Math.abs(e[m]) > eps * tst1) {
        m++;
      }
      if (m > l) {
        int iter = 0;
        do {
          if (++iter > MAX_QL_ITERATIONS) {
            throw new DatasetException("eigendecomposition: QL iteration did not converge for "
                + "eigenvalue " + l + " of " + n);
          }
          double g = d[l];
          double p = (d[l + 1] - g) / (2 * e[l]);
          double r = Math.hypot(p, 1);
          if (p < 0) {
            r = -r;
          }
          d[l] = e[l] / (p + r);
          d[l + 1] = e[l] * (p + r);
          double dl1 = d[l + 1];
          double h = g - d[l];
          for (int i = l + 2; i < n; i++) {
            d[i] -= h;
          }
          f += h;
          p = d[m];
          double c = 1;
          double c2 = c;
          double c3 = c;
          double el1 = e[l + 1];
          double s = 0;
          double s2 = 0;
          for (int i = m - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * e[i];
            h = c * p;
            r = Math.hypot(p, e[i]);
            e[i + 1] = s * r;
            s = e[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = h + s * (c * g + s * d[i]);
            rotations.add(i, c, s);
          }
          p = -s * s2 * c3 * el1 * e[l] / dl1;
          e[l] = s * p;
          d[l] = c * p;
        } while (Math.abs(e[l]) > eps * tst1);
      }
      d[l] += f;
      e[l] = 0;
    }
    rotations.flush();
  }

  /**
   * Plane rotations of rows (i, i+1) of wt, recorded in order and applied in batches, stripe of
   * columns by stripe, so that each stripe is read from memory once per batch instead of once per
   * QL sweep.
   */
  private static final class Rotations {
    private final double[][] rows;
    private final int n;
    private final int[] index = new int[ROTATION_BATCH];
    private final double[] cos = new double[ROTATION_BATCH];
    private final double[] sin = new double[ROTATION_BATCH];
    private int count;

    Rotations(double[][] rows, int n) {
      this.rows = rows;
      this.n = n;
    }

    void add(int i, double c, double s) {
      index[count] = i;
      cos[count] = c;
      sin[count] = s;
      if (++count == ROTATION_BATCH) {
        flush();
      }
    }

    void flush() {
      int stripes = (n + STRIPE - 1) / STRIPE;
      IntStream.range(0, stripes).parallel().forEach(stripe -> {
        int c0 = stripe * STRIPE;
        int c1 = Math.min(n, c0 + STRIPE);
        for (int r = 0; r < count; r++) {
          rotate(rows[index[r]], rows[index[r] + 1], cos[r], sin[r], c0, c1);
        }
      });
      count = 0;
    }
  }

  /** (x, y) <- (c x - s y, s x + c y), elementwise over [k0, k1). */
  private static void rotate(double[] x, double[] y, double c, double s, int k0, int k1) {
    for (int k = k0; k < k1; k++) {
      double xk = x[k];
      double yk = y[k];
      y[k] = s * xk + c * yk;
      x[k] = c * xk - s * yk;
    }
  }

  /** u <- H_0 H_1 ... H_{n-3} u, the eigenvectors of A from those of the tridiagonal matrix. */
  private static void applyReflections(double[][] a, double[] beta, double[][] u, int n) {
    // By stripes of columns: each stripe takes all reflections while it sits in cache.
    int stripes = (n + STRIPE - 1) / STRIPE;
    IntStream.range(0, stripes).parallel().forEach(stripe -> {
      int c0 = stripe * STRIPE;
      int c1 = Math.min(n, c0 + STRIPE);
      double[] s = new double[n];
      for (int k = n - 3; k >= 0; k--) {
        if (beta[k] == 0) {
          continue;
        }
        double[] v = a[k];
        // u[k+1..][c0..c1) -= beta v (v^T u[k+1..][c0..c1))
        java.util.Arrays.fill(s, c0, c1, 0);
        for (int j = k + 1; j < n; j++) {
          double vj = v[j];
          double[] row = u[j];
          for (int c = c0; c < c1; c++) {
            s[c] += vj * row[c];
          }
        }
        for (int j = k + 1; j < n; j++) {
          double bvj = beta[k] * v[j];
          double[] row = u[j];
          for (int c = c0; c < c1; c++) {
            row[c] -= bvj * s[c];
          }
        }
      }
    });
  }
}
