package org.dd4j.buffer;

import org.dd4j.storage.TrajectoryReader;

/** Figures computed over a stored expert trajectory. */
public final class TrajectoryStats {

  private TrajectoryStats() {}

  /**
   * AST's smoothness measure Avg_Var = mean over t of ||w_t - w_{t+1}||_2^2, over consecutive
   * snapshots (epochs) of one trajectory; lower is smoother.
   *
   * <p>References: Shen, Yang, Lam 2023 (AST), Table VII.
   *
   * @return the mean squared step, in squared parameter units; 0 for a single snapshot
   */
  public static double avgVar(TrajectoryReader r) {
    int n = r.numSnapshots();
    if (n < 2) {
      return 0;
    }
    float[] prev = r.snapshot(0);
    float[] next = new float[prev.length];
    double sum = 0;
    for (int t = 1; t < n; t++) {
      r.snapshot(t, next);
      double s = 0;
      for (int i = 0; i < prev.length; i++) {
        double d = next[i] - prev[i];
        s += d * d;
      }
      sum += s;
      float[] tmp = prev;
      prev = next;
      next = tmp;
    }
    return sum / (n - 1);
  }
}
