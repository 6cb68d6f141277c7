package org.dd4j.models;

import java.util.SplittableRandom;

/**
 * PyTorch's default initialization of conv and linear layers: weights kaiming-uniform with
 * a = sqrt(5), which is U(-b, b) with b = 1/sqrt(fan_in); biases U(-b, b) with the same b.
 * Norm layers start at weight 1, bias 0.
 */
final class TorchInit {

  private TorchInit() {}

  /** Fills {@code out[from, from+n)} with U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
  static void uniformFanIn(float[] out, long from, long n, long fanIn, SplittableRandom rng) {
    uniform(out, from, n, 1.0 / Math.sqrt(fanIn), rng);
  }

  /** Fills {@code out[from, from+n)} with U(-bound, bound). */
  static void uniform(float[] out, long from, long n, double bound, SplittableRandom rng) {
    for (long i = 0; i < n; i++) {
      out[(int) (from + i)] = (float) rng.nextDouble(-bound, bound);
    }
  }

  static void fill(float[] out, long from, long n, float value) {
    for (long i = 0; i < n; i++) {
      out[(int) (from + i)] = value;
    }
  }
}
