package org.dd4j.data;

import java.util.Random;

/**
 * The tests' toy task: 8x8x1 images of 4 classes where class c has a bright c-th quarter row
 * band (rows 2c and 2c + 1) over uniform noise in [0, 0.3); learnable in a few steps.
 */
public final class ToyBands {

  private ToyBands() {}

  /**
   * @param n number of images
   * @param seed seed of the labels and the noise
   * @return n images, shape [n, 8, 8, 1], values in [0, 1), labels uniform in [0, 4)
   */
  public static ImageSet bands(int n, long seed) {
    Random r = new Random(seed);
    float[] img = new float[n * 64];
    int[] lab = new int[n];
    for (int i = 0; i < n; i++) {
      lab[i] = r.nextInt(4);
      for (int p = 0; p < 64; p++) {
        img[i * 64 + p] = (float) (0.3 * r.nextDouble() + (p / 16 == lab[i] ? 0.7 : 0));
      }
    }
    return new ImageSet(img, lab, 8, 8, 1);
  }
}
