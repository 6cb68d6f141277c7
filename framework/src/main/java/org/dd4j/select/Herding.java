package org.dd4j.select;

import java.util.SplittableRandom;

/**
 * Herding selection: greedily adds the row that brings the running mean of the chosen
 * embeddings closest to the class mean mu. Step t (t = 1..k) picks, among unchosen i,
 * <pre>  argmin_i || mu - (s_{t-1} + e_i) / t ||^2,   s_{t-1} = sum of the chosen rows</pre>
 * so the first pick is the row nearest the class mean. Ties go to the lowest index.
 * Deterministic (ignores {@code rng}). Embeddings are used as given (no normalization);
 * arithmetic in double. Cost O(k n F).
 *
 * <p>References: Welling, "Herding dynamical weights to learn", ICML 2009; the greedy
 * mean-matching rule of iCaRL (Rebuffi et al., CVPR 2017) and of the DC-benchmark baselines
 * (Cui et al., 2022).
 */
record Herding() implements Coreset {

  @Override
  public String id() {
    return "herding";
  }

  @Override
  public boolean usesEmbeddings() {
    return true;
  }

  @Override
  public int[] select(float[][] e, int k, SplittableRandom rng) {
    int f = Embeddings.check(e, k);
    double[] mu = Embeddings.mean(e); // [F]
    double[] sum = new double[f]; // s_{t-1}
    boolean[] chosen = new boolean[e.length];
    int[] out = new int[k];
    for (int t = 1; t <= k; t++) {
      int best = -1;
      double bestD = Double.POSITIVE_INFINITY;
      for (int i = 0; i < e.length; i++) {
        if (chosen[i]) {
          continue;
        }
        double d = 0;
        for (int j = 0; j < f; j++) {
          double r = mu[j] - (sum[j] + e[i][j]) / t;
          d += r * r;
        }
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
      chosen[best] = true;
      out[t - 1] = best;
      for (int j = 0; j < f; j++) {
        sum[j] += e[best][j];
      }
    }
    return out;
  }
}
