package org.dd4j.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Herding's greedy mean matching, on plain embeddings (no TensorFlow). */
class HerdingTest {

  /**
   * Five 2-D points, mean (1.6, 1.6). By hand: step 1 nearest the mean is p3 (1,1), d^2 0.72;
   * step 2 wants e near 2 mu - p3 = (2.2, 2.2): p4 (3,3); step 3 wants e near 3 mu - p3 - p4
   * = (0.8, 0.8): p0; step 4 wants (2.4, 2.4): p1 and p2 tie at 8.32, the lower index wins.
   */
  static final float[][] FIVE = {{0, 0}, {4, 0}, {0, 4}, {1, 1}, {3, 3}};

  @Test
  void handCheckedOrder() {
    assertArrayEquals(new int[] {3, 4, 0, 1, 2},
        Coreset.herding().select(FIVE, 5, new SplittableRandom(0)));
    assertArrayEquals(new int[] {3, 4, 0},
        Coreset.herding().select(FIVE, 3, new SplittableRandom(99)));
  }

  @Test
  void firstPickIsNearestTheMeanAndPicksAreDistinctAndSeedFree() {
    Random r = new Random(5);
    float[][] e = new float[200][8];
    for (float[] row : e) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    int[] a = Coreset.herding().select(e, 20, new SplittableRandom(1));
    assertEquals(Embeddings.nearest(e, Embeddings.mean(e)), a[0]);
    assertEquals(20, java.util.Arrays.stream(a).distinct().count());
    assertArrayEquals(a, Coreset.herding().select(e, 20, new SplittableRandom(2)));
    // every step is greedy: no other unchosen row brings the running mean closer to mu
    double[] mu = Embeddings.mean(e);
    double[] sum = new double[8];
    java.util.Set<Integer> chosen = new java.util.HashSet<>();
    for (int t = 1; t <= a.length; t++) {
      double picked = gap(mu, sum, e[a[t - 1]], t);
      for (int i = 0; i < e.length; i++) {
        if (!chosen.contains(i) && i != a[t - 1]) {
          assertTrue(gap(mu, sum, e[i], t) >= picked, "step " + t + " row " + i);
        }
      }
      chosen.add(a[t - 1]);
      for (int j = 0; j < 8; j++) {
        sum[j] += e[a[t - 1]][j];
      }
    }
  }

  /** ||mu - (sum + x) / t||^2. */
  private static double gap(double[] mu, double[] sum, float[] x, int t) {
    double d = 0;
    for (int j = 0; j < mu.length; j++) {
      double r = mu[j] - (sum[j] + x[j]) / t;
      d += r * r;
    }
    return d;
  }

  @Test
  void rejectsBadCounts() {
    assertThrows(IllegalArgumentException.class,
        () -> Coreset.herding().select(FIVE, 6, new SplittableRandom(0)));
    assertThrows(IllegalArgumentException.class,
        () -> Coreset.herding().select(FIVE, 0, new SplittableRandom(0)));
  }
}
