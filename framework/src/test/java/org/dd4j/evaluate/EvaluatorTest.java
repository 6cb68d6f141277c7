package org.dd4j.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.synthetic.SyntheticSet;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  /** Class c has a bright band of rows 2c..2c+1 (the buffer tests' toy task). */
  static ImageSet bands(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] img = new float[n * 64];
    int[] lab = new int[n];
    for (int i = 0; i < n; i++) {
      lab[i] = r.nextInt(4);
      for (int p = 0; p < 64; p++) {
        img[i * 64 + p] = (float) (0.3 * r.nextDouble() + (p / 8 / 2 == lab[i] ? 0.7 : 0));
      }
    }
    return new ImageSet(img, lab, 8, 8, 1);
  }

  @Test
  void randomRealSubsetTrainsNetworksWellAboveChanceAndIsSeeded() {
    ImageSet train = bands(400, 1);
    ImageSet test = bands(200, 2);
    SyntheticSet subset = SyntheticSet.initReal(train, 4, 5, 0.01, new SplittableRandom(3));
    ImageSet small = subset.toImageSet();
    Model model = new ConvNet(ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4));
    EvalConfig config = new EvalConfig(30, 256, 0.9, 5e-4, 3, "none", 7);
    EvalResult a = Evaluator.evaluate(model, small, 0.05, test, config,
        SessionOptions.threads(2));
    System.out.println("random real, ipc 5, toy bands: " + a);
    assertEquals(3, a.accuracies().length);
    assertTrue(a.mean() > 0.6, "mean accuracy " + a);
    EvalResult b = Evaluator.evaluate(model, small, 0.05, test, config,
        SessionOptions.threads(2));
    assertArrayEquals(a.accuracies(), b.accuracies(), 1e-9);
  }

  @Test
  void reportsMeanAndPopulationStdAndTrainsThroughDsaFeeds() {
    EvalResult r = new EvalResult(new double[] {0.5, 0.7});
    assertEquals(0.6, r.mean(), 1e-12);
    assertEquals(0.1, r.std(), 1e-12);
    assertEquals("60.00 +- 10.00 % (2 networks)", r.toString());
    ImageSet train = bands(40, 4);
    Model model = new ConvNet(ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4));
    EvalResult dsa = Evaluator.evaluate(model, train, 0.05, bands(40, 5),
        new EvalConfig(2, 16, 0.9, 5e-4, 1, "color_crop_cutout_flip_scale_rotate", 1),
        SessionOptions.threads(2));
    assertTrue(dsa.mean() >= 0 && dsa.mean() <= 1);
  }
}
