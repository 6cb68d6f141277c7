package org.dd4j.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.dd4j.data.ImageSet;
import org.dd4j.data.ToyBands;
import org.dd4j.models.InputShape;
import org.junit.jupiter.api.Test;

class SyntheticSetTest {

  @Test
  void realInitTakesDistinctImagesOfEachClassInClassMajorOrder() {
    ImageSet train = ToyBands.bands(100, 3);
    SyntheticSet s = SyntheticSet.initReal(train, 4, 3, 0.01, new SplittableRandom(1));
    assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3}, s.labels());
    float[] img = s.images();
    for (int i = 0; i < s.count(); i++) {
      float[] mine = Arrays.copyOfRange(img, i * 64, (i + 1) * 64);
      Set<Integer> matches = new HashSet<>();
      for (int j = 0; j < train.count(); j++) {
        if (Arrays.equals(mine, Arrays.copyOfRange(train.images(), j * 64, (j + 1) * 64))) {
          matches.add(train.labels()[j]);
        }
      }
      assertEquals(Set.of(s.labels()[i]), matches, "image " + i);
    }
    assertEquals(s, SyntheticSet.initReal(train, 4, 3, 0.01, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class,
        () -> SyntheticSet.initReal(train, 4, 60, 0.01, new SplittableRandom(1)));
  }

  @Test
  void noiseInitIsStandardNormal() {
    SyntheticSet s = SyntheticSet.initNoise(new InputShape(16, 16, 3), 10, 5, 0.01,
        new SplittableRandom(2));
    float[] x = s.images();
    double mean = 0;
    double sq = 0;
    for (float v : x) {
      mean += v;
      sq += v * v;
    }
    mean /= x.length;
    double sd = Math.sqrt(sq / x.length - mean * mean);
    assertEquals(0, mean, 0.02);
    assertEquals(1, sd, 0.02);
  }

  @Test
  void validatesAndCopies() {
    InputShape shape = new InputShape(2, 2, 1);
    float[] img = new float[8];
    SyntheticSet s = new SyntheticSet(img, new int[] {0, 1}, shape, 2, 1, 0.1);
    img[0] = 5;
    s.images()[1] = 5;
    assertArrayEquals(new float[8], s.images());
    assertThrows(IllegalArgumentException.class,
        () -> new SyntheticSet(new float[8], new int[] {1, 0}, shape, 2, 1, 0.1));
    assertThrows(IllegalArgumentException.class,
        () -> new SyntheticSet(new float[7], new int[] {0, 1}, shape, 2, 1, 0.1));
    assertThrows(IllegalArgumentException.class, () -> s.with(new float[8], 0));
    assertThrows(IllegalArgumentException.class, () -> s.with(new float[8], Double.NaN));
    assertTrue(s.with(new float[8], 0.2).synLr() == 0.2);
  }
}
