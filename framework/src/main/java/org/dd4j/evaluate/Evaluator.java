package org.dd4j.evaluate;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.SplittableRandom;
import org.dd4j.augment.Augmentation;
import org.dd4j.augment.DsaAugmentation;
import org.dd4j.augment.DsaConfig;
import org.dd4j.buffer.ExpertTrainer;
import org.dd4j.buffer.ExpertTraining;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.Permutations;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.Model;

/**
 * Trains K fresh networks on a small (synthetic or coreset) training set and tests each on
 * the real test set: the evaluation protocol of MTT, FTD and AST (spec section 6). One
 * training graph serves all K networks.
 *
 * <p>References: Cazenavette et al., CVPR 2022, section 4 ("evaluation").
 */
public final class Evaluator {

  private Evaluator() {}

  /**
   * @param model the architecture to train (fresh PyTorch-default initializations)
   * @param train the small set, NHWC in the same preprocessed space as {@code test}
   * @param learningRate SGD learning rate of the networks (the learned syn_lr for a distilled
   *     set, lr_teacher for baselines); x0.1 at epoch E/2
   * @param test the real test set
   * @throws IllegalStateException if a network's training diverges
   */
  public static EvalResult evaluate(Model model, ImageSet train, double learningRate,
      ImageSet test, EvalConfig config, SessionOptions options) {
    checkArgument(learningRate > 0 && Double.isFinite(learningRate),
        "learningRate must be > 0, got %s", learningRate);
    ExpertTraining training = new ExpertTraining(config.epochs(), config.batchSize(),
        learningRate, 0.1, new long[] {config.epochs() / 2}, config.momentum(),
        config.weightDecay(), config.dsa());
    Augmentation augmentation = config.dsa()
        ? new DsaAugmentation(DsaConfig.parse(config.dsaStrategy()), model.spec().input(),
            config.seed(), DsaAugmentation.Pairing.INDEPENDENT)
        : Augmentation.none();
    SplittableRandom rng = new SplittableRandom(config.seed());
    double[] accuracies = new double[config.runs()];
    try (ExpertTrainer trainer = new ExpertTrainer(model, training, augmentation, options)) {
      for (int k = 0; k < config.runs(); k++) {
        trainer.reset(model.initialParams(rng.nextLong()));
        augmentation.reseed(rng.nextLong());
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
          int[] order = Permutations.random(train.count(), rng);
          trainer.trainEpoch(train, order, epoch, null);
        }
        accuracies[k] = trainer.accuracy(test);
      }
    }
    return new EvalResult(accuracies);
  }
}
