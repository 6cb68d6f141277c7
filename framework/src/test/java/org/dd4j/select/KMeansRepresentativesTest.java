package org.dd4j.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** AST's K-Means representatives on plain embeddings (no TensorFlow). */
class KMeansRepresentativesTest {

  @Test
  void oneClusterPicksTheRowNearestTheMean() {
    // mean (1.6, 1.6); p3 (1, 1) is nearest (d^2 0.72), then p4 (3, 3) (d^2 3.92)
    float[][] five = {{0, 0}, {4, 0}, {0, 4}, {1, 1}, {3, 3}};
    for (long seed = 0; seed < 5; seed++) {
      assertArrayEquals(new int[] {3}, KMeansRepresentatives.select(five, 1, 1, seed));
      assertArrayEquals(new int[] {3, 4}, KMeansRepresentatives.select(five, 1, 2, seed));
    }
    Coreset perImage = new KMeansCoreset(KMeansCoreset.Clustering.PER_IMAGE);
    assertArrayEquals(new int[] {3}, perImage.select(five, 1, new SplittableRandom(3)));
  }

  @Test
  void sharedNearestRowGoesToTheFirstCentreAndTheSecondTakesItsNextNearest() {
    float[][] e = {{5, 0}, {0, 0}, {-2, 0}, {0.5f, 0}};
    double[][] centres = {{-0.1, 0}, {0.1, 0}}; // both nearest row 1 (0, 0)
    assertArrayEquals(new int[] {1, 3},
        KMeansRepresentatives.nearestDistinct(e, centres, 1));
    assertArrayEquals(new int[] {1, 3, 2, 0},
        KMeansRepresentatives.nearestDistinct(e, centres, 2));
  }

  @Test
  void separatedBlobsGetOneRepresentativeEachDeterministically() {
    Random r = new Random(4);
    float[][] e = new float[60][3];
    for (int i = 0; i < e.length; i++) { // three blobs around (0,0,0), (20,0,0), (0,20,0)
      e[i][0] = (float) (r.nextGaussian() + (i % 3 == 1 ? 20 : 0));
      e[i][1] = (float) (r.nextGaussian() + (i % 3 == 2 ? 20 : 0));
      e[i][2] = (float) r.nextGaussian();
    }
    int[] a = KMeansRepresentatives.select(e, 3, 1, 17);
    assertEquals(3, a.length);
    assertEquals(3, Arrays.stream(a).map(i -> i % 3).distinct().count(), Arrays.toString(a));
    assertArrayEquals(a, KMeansRepresentatives.select(e, 3, 1, 17));
    int[] ten = new KMeansCoreset(KMeansCoreset.Clustering.TEN_CLUSTERS).select(e, 20,
        new SplittableRandom(2));
    assertEquals(20, Arrays.stream(ten).distinct().count());
  }

  @Test
  void tenClustersNeedsAMultipleOfTen() {
    Coreset code = new KMeansCoreset(KMeansCoreset.Clustering.TEN_CLUSTERS);
    float[][] e = new float[30][2];
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
        () -> code.select(e, 1, new SplittableRandom(0)));
    assertTrue(x.getMessage().contains("multiple of 10"), x.getMessage());
    assertEquals(KMeansCoreset.Clustering.TEN_CLUSTERS,
        KMeansCoreset.Clustering.named("ten-clusters"));
    assertNotEquals(KMeansCoreset.Clustering.PER_IMAGE,
        KMeansCoreset.Clustering.named("ten-clusters"));
  }
}
