package org.dd4j.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dd4j.augment.Augmentation;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.Permutations;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.synthetic.SyntheticSet;
import org.dd4j.train.NetworkTrainer;
import org.dd4j.train.Objective;
import org.dd4j.train.Optimizer;
import org.dd4j.train.Sgd;
import org.dd4j.train.Training;
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

  /**
   * evaluate_synset's schedule, epoch by epoch: E + 1 passes at lr, x0.1 from pass E // 2 + 2
   * (it decays after pass E // 2 + 1), the momentum buffer restarted there and nowhere else.
   */
  @Test
  void scheduleIsEvaluateSynsetsPassByPass() {
    for (int e : new int[] {1, 2, 3, 4, 9, 1000}) {
      Training t = Evaluator.training(new EvalConfig(e, 256, 0.9, 5e-4, 1, "none", 0),
          0.02);
      assertEquals(e + 1, t.epochs(), "passes, E " + e);
      Sgd sgd = t.optimizer().sgd();
      assertEquals(0.9, sgd.momentum());
      assertEquals(5e-4, sgd.weightDecay());
      for (int pass = 0; pass <= e; pass++) {
        boolean decayed = pass >= e / 2 + 2;
        assertEquals(decayed ? 0.002 : 0.02, t.lrSchedule().at(pass), 1e-15,
            "E " + e + ", pass " + pass);
        assertEquals(pass == e / 2 + 2, sgd.restartsMomentumAt(pass),
            "E " + e + ", pass " + pass);
      }
    }
  }

  /**
   * The trainer really restarts the buffer: training through a new-optimizer decay equals
   * training up to it, then continuing in a fresh trainer (zero momentum) at the decayed lr;
   * keeping the buffer gives another result.
   */
  @Test
  void aNewOptimizerDecayRestartsTheMomentumBuffer() {
    ImageSet train = bands(24, 8);
    Model model = new ConvNet(ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4));
    float[] w0 = model.initialParams(9);
    Sgd restart = Optimizer.sgd(0.05).withMomentum(0.9).withLrDecay(0.1, 2)
        .withOnLrDecay(Sgd.OnLrDecay.NEW_OPTIMIZER);
    float[] through = train(model, restart, w0, train, 0, 4);
    float[] firstHalf = train(model, restart, w0, train, 0, 2);
    float[] secondHalf = train(model, Optimizer.sgd(0.005).withMomentum(0.9), firstHalf,
        train, 2, 4);
    assertArrayEquals(secondHalf, through, 1e-6f);
    float[] kept = train(model, restart.withOnLrDecay(Sgd.OnLrDecay.KEEP_MOMENTUM), w0, train,
        0, 4);
    double diff = 0;
    for (int i = 0; i < kept.length; i++) {
      diff = Math.max(diff, Math.abs(kept[i] - through[i]));
    }
    assertTrue(diff > 1e-4, "keeping the buffer changed nothing: " + diff);
  }

  /** Epochs [from, to) of {@code sgd} from {@code w}, one full batch per epoch, no shuffle. */
  private static float[] train(Model model, Sgd sgd, float[] w, ImageSet set, int from,
      int to) {
    Training t = new Training(4, set.count(), sgd,
        Objective.crossEntropy(), false);
    try (NetworkTrainer trainer = new NetworkTrainer(model, t, Augmentation.none(),
        SessionOptions.threads(2))) {
      trainer.reset(w);
      for (int e = from; e < to; e++) {
        // the continuation's epochs are numbered from 0 at a constant lr
        trainer.trainEpoch(set, Permutations.identity(set.count()),
            sgd.lrDecayEpochs().length == 0 ? e - from : e, null);
      }
      return trainer.params();
    }
  }

  @Test
  void reportsMeanAndPopulationStdAndTrainsThroughDsaFeeds() {
    EvalResult r = new EvalResult(new double[] {0.5, 0.7});
    assertEquals(0.6, r.mean(), 1e-12);
    assertEquals(0.1, r.std(), 1e-12);
    assertEquals("60.00 +- 10.00 % (2 networks)", r.toString());
    // through DSA's feeds the networks still learn the toy task (chance: 25 %), the same
    // accuracies on a second run (DSA seeded), each a whole number of the 100 test images
    ImageSet train = bands(200, 4);
    ImageSet test = bands(100, 5);
    Model model = new ConvNet(ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4));
    EvalConfig config = new EvalConfig(20, 32, 0.9, 5e-4, 2,
        "color_crop_cutout_flip_scale_rotate", 1);
    EvalResult dsa = Evaluator.evaluate(model, train, 0.05, test, config,
        SessionOptions.threads(2));
    System.out.println("DSA, toy bands: " + dsa);
    assertTrue(dsa.mean() > 0.9, "mean accuracy " + dsa);
    for (double a : dsa.accuracies()) {
      assertEquals(Math.round(a * 100) / 100.0, a, 1e-12, "a count of 100 images: " + a);
    }
    assertArrayEquals(dsa.accuracies(), Evaluator.evaluate(model, train, 0.05, test, config,
        SessionOptions.threads(2)).accuracies(), 0);
  }

  /**
   * One distributed task per network: network k trained alone (its generator replayed past
   * networks 0..k-1) has exactly the accuracy it has in the shared loop, with DSA, soft labels
   * and batches smaller than the set (several shuffled batches per pass).
   */
  @Test
  void eachNetworkAloneEqualsItsPlaceInTheSharedLoop() {
    ImageSet train = bands(24, 6);
    ImageSet test = bands(60, 7);
    Model model = new ConvNet(ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4));
    float[] logits = new float[24 * 4];
    SplittableRandom r = new SplittableRandom(8);
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) r.nextGaussian();
    }
    EvalConfig config = new EvalConfig(3, 8, 0.9, 5e-4, 3, "color_crop_cutout_flip_scale_rotate",
        11);
    EvalResult all = Evaluator.evaluate(model, train, logits, 0.05, test, config,
        SessionOptions.threads(1));
    for (int k = 2; k >= 0; k--) { // any order, each in a fresh graph
      assertEquals(all.accuracies()[k], Evaluator.evaluateNetwork(model, train, logits, 0.05,
          test, config, SessionOptions.threads(1), k), "network " + k);
    }
    assertTrue(all.accuracies()[0] != all.accuracies()[1]
        || all.accuracies()[1] != all.accuracies()[2], "the networks differ: " + all);
    assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluateNetwork(model, train,
        logits, 0.05, test, config, SessionOptions.threads(1), 3));
  }
}
