package org.dd4j.select;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/** Small exact helpers on embeddings [n, F] (float32 in, double arithmetic). */
final class Embeddings {

  private Embeddings() {}

  /**
   * Checks that {@code e} is a non-empty [n, F] matrix and {@code k} in [1, n].
   *
   * @return F
   */
  static int check(float[][] e, int k) {
    checkNotNull(e, "embeddings");
    checkArgument(e.length > 0, "no embeddings (an empty class?)");
    checkArgument(k >= 1 && k <= e.length, "k must be in [1, %s], got %s", e.length, k);
    int f = e[0].length;
    for (int i = 1; i < e.length; i++) {
      checkArgument(e[i].length == f, "embedding %s has length %s, embedding 0 has %s", i,
          e[i].length, f);
    }
    return f;
  }

  /** The mean row, shape [F]. */
  static double[] mean(float[][] e) {
    double[] mu = new double[e[0].length];
    for (float[] row : e) {
      for (int j = 0; j < mu.length; j++) {
        mu[j] += row[j];
      }
    }
    for (int j = 0; j < mu.length; j++) {
      mu[j] /= e.length;
    }
    return mu;
  }

  /** Squared Euclidean distance between a row and a point. */
  static double dist2(float[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      double d = a[j] - b[j];
      s += d * d;
    }
    return s;
  }

  /** Squared Euclidean distance between two rows. */
  static double dist2(float[] a, float[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      double d = (double) a[j] - b[j];
      s += d * d;
    }
    return s;
  }

  /** The row nearest {@code point} (ties: the lowest index). */
  static int nearest(float[][] e, double[] point) {
    int best = 0;
    double bestD = Double.POSITIVE_INFINITY;
    for (int i = 0; i < e.length; i++) {
      double d = dist2(e[i], point);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }
}
