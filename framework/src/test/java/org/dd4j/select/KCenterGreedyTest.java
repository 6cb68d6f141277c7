package org.dd4j.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** k-center greedy on plain embeddings (no TensorFlow). */
class KCenterGreedyTest {

  /**
   * Points on a line at 0, 1, 10, 4, 6 (mean 4.2). By hand: start p3 (4, nearest the mean);
   * farthest from {4}: p2 (10, distance 6); from {4, 10}: p0 (0, distance 4); from
   * {0, 4, 10}: p4 (6, distance 2); last p1.
   */
  static final float[][] LINE = {{0, 0}, {1, 0}, {10, 0}, {4, 0}, {6, 0}};

  @Test
  void handCheckedFromTheMean() {
    assertArrayEquals(new int[] {3, 2, 0, 4, 1},
        Coreset.kCenter().select(LINE, 5, new SplittableRandom(0)));
    assertArrayEquals(new int[] {3, 2, 0},
        Coreset.kCenter().select(LINE, 3, new SplittableRandom(123)));
  }

  @Test
  void randomStartIsSeeded() {
    Coreset kc = Coreset.kCenter(KCenterGreedy.Start.RANDOM);
    int first = new SplittableRandom(11).nextInt(LINE.length);
    int[] a = kc.select(LINE, 3, new SplittableRandom(11));
    assertEquals(first, a[0]);
    assertArrayEquals(a, kc.select(LINE, 3, new SplittableRandom(11)));
    // from p0 (0): farthest is p2 (10), then p3 (4) or p4 (6) at distance 4: p3 (lower index)
    int[] fromZero = null;
    for (long seed = 0; fromZero == null; seed++) {
      if (new SplittableRandom(seed).nextInt(LINE.length) == 0) {
        fromZero = kc.select(LINE, 3, new SplittableRandom(seed));
      }
    }
    assertArrayEquals(new int[] {0, 2, 3}, fromZero);
  }

  @Test
  void duplicatesStillGiveDistinctRows() {
    float[][] same = {{1, 1}, {1, 1}, {1, 1}, {1, 1}};
    int[] a = Coreset.kCenter().select(same, 4, new SplittableRandom(0));
    assertEquals(4, Arrays.stream(a).distinct().count());
    assertArrayEquals(new int[] {0, 1, 2, 3}, a);
  }
}
