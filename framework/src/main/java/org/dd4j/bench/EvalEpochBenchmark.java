package org.dd4j.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.SplittableRandom;
import org.dd4j.augment.Augmentation;
import org.dd4j.augment.DsaAugmentation;
import org.dd4j.augment.DsaConfig;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.Permutations;
import org.dd4j.engine.SessionOptions;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.models.Model;
import org.dd4j.train.NetworkTrainer;
import org.dd4j.train.Training;

/**
 * Cost of evaluation training per architecture: wall-clock seconds per epoch over a small
 * set of random images, through the trainer and settings {@code Evaluator} uses (SGD
 * momentum 0.9, weight decay 5e-4, DSA as configured). Multiply by the evaluation's epochs
 * and K to price a cross-architecture evaluation.
 */
public final class EvalEpochBenchmark {

  /**
   * @param secondsPerEpoch mean wall-clock seconds of one timed epoch
   * @param images images per epoch
   * @param epochs timed epochs
   */
  public record Result(double secondsPerEpoch, int images, int epochs) {}

  private EvalEpochBenchmark() {}

  /**
   * Trains one fresh network on {@code images} random N(0, 1) images for {@code warmup}
   * untimed and {@code epochs} timed epochs.
   *
   * @param config batch size, momentum, weight decay and DSA strategy of the evaluation
   */
  public static Result run(Model model, int images, EvalConfig config, int warmup, int epochs,
      SessionOptions options) {
    checkArgument(images > 0 && epochs > 0 && warmup >= 0,
        "images and epochs must be > 0 and warmup >= 0, got %s, %s, %s", images, epochs,
        warmup);
    var in = model.spec().input();
    SplittableRandom rng = new SplittableRandom(config.seed());
    float[] x = new float[images * in.size()];
    int[] labels = new int[images];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    for (int i = 0; i < images; i++) {
      labels[i] = i % model.spec().numClasses();
    }
    ImageSet set = new ImageSet(x, labels, in.height(), in.width(), in.channels());
    Training training = new Training(warmup + epochs, config.batchSize(), 0.01, 1,
        new long[0], config.momentum(), config.weightDecay(), config.dsa());
    Augmentation augmentation = config.dsa()
        ? new DsaAugmentation(DsaConfig.parse(config.dsaStrategy()), in, config.seed(),
            DsaAugmentation.Pairing.INDEPENDENT)
        : Augmentation.none();
    try (NetworkTrainer trainer = new NetworkTrainer(model, training, augmentation, options)) {
      trainer.reset(model.initialParams(config.seed()));
      for (int e = 0; e < warmup; e++) {
        trainer.trainEpoch(set, Permutations.random(images, rng), e, null);
      }
      long start = System.nanoTime();
      for (int e = 0; e < epochs; e++) {
        trainer.trainEpoch(set, Permutations.random(images, rng), e, null);
      }
      return new Result((System.nanoTime() - start) / 1e9 / epochs, images, epochs);
    }
  }
}
