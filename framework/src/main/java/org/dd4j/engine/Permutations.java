package org.dd4j.engine;

import java.util.SplittableRandom;

/** Orders of indices: the epoch order of expert and evaluation training, student batches. */
public final class Permutations {

  private Permutations() {}

  /** {@code [0, 1, ..., n - 1]}. */
  public static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  /**
   * Fisher-Yates shuffle in place, drawing {@code rng.nextInt(i + 1)} for i from
   * {@code a.length - 1} down to 1 (the draw order seeded runs depend on).
   */
  public static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
  }

  /** A fresh random permutation of {@code [0, n)}. */
  public static int[] random(int n, SplittableRandom rng) {
    int[] a = identity(n);
    shuffle(a, rng);
    return a;
  }
}
