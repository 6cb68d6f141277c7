package org.dd4j.evaluate;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.SplittableRandom;
import org.dd4j.augment.Augmentation;
import org.dd4j.augment.DsaAugmentation;
import org.dd4j.augment.DsaConfig;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.Permutations;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.Model;
import org.dd4j.synthetic.SyntheticSet;
import org.dd4j.train.NetworkTrainer;
import org.dd4j.train.Objective;
import org.dd4j.train.Optimizer;
import org.dd4j.train.Sgd;
import org.dd4j.train.Training;

/**
 * Trains K fresh networks on a small (synthetic or coreset) training set and tests each on
 * the real test set: the evaluation protocol of MTT, FTD and AST (spec section 6), as MTT's
 * {@code evaluate_synset} runs it: E + 1 passes over the set (ep = 0..E), the learning rate
 * x0.1 after pass E // 2 + 1 with a new optimizer (the momentum buffer restarts), the test
 * after the last pass. One training graph serves all K networks.
 *
 * <p>References: Cazenavette et al., CVPR 2022, section 4 ("evaluation");
 * GeorgeCazenavette/mtt-distillation utils.py evaluate_synset.
 */
public final class Evaluator {

  private Evaluator() {}

  /**
   * @param model the architecture to train (fresh PyTorch-default initializations)
   * @param train the small set, NHWC in the same preprocessed space as {@code test}
   * @param learningRate SGD learning rate of the networks (the learned syn_lr for a distilled
   *     set, lr_teacher for baselines); x0.1 from pass E // 2 + 2 on (0-based)
   * @param test the real test set
   * @throws IllegalStateException if a network's training diverges
   */
  public static EvalResult evaluate(Model model, ImageSet train, double learningRate,
      ImageSet test, EvalConfig config, SessionOptions options) {
    return evaluate(model, train, null, learningRate, test, config, options);
  }

  /** Soft labels: the set's label logits as targets, by soft cross-entropy (DATM). */
  public static final String SOFT = "soft";

  /** Hard labels: the argmax of the set's label logits ({@code hard_labels}). */
  public static final String ARGMAX = "hard (argmax)";

  /** Hard labels: the set's class labels (a set without label logits). */
  public static final String HARD = "hard";

  /**
   * Which labels {@link #evaluate(Model, ImageSet, float[], double, ImageSet, EvalConfig,
   * SessionOptions)} trains on: {@link #SOFT}, {@link #ARGMAX} or {@link #HARD}.
   *
   * @param hasLabelLogits whether the set carries label logits
   */
  public static String labelsUsed(boolean hasLabelLogits, EvalConfig config) {
    return !hasLabelLogits ? HARD : config.hardLabels() ? ARGMAX : SOFT;
  }

  /**
   * As {@link #evaluate(Model, ImageSet, double, ImageSet, EvalConfig, SessionOptions)} for a
   * set that may carry learned soft labels. With label logits and {@code config.hardLabels()}
   * false, every network trains on soft cross-entropy against softmax(logits / T) (DATM's
   * evaluation: distill/DATM.py {@code SoftCrossEntropy} as {@code evaluate_synset}'s
   * {@code train_criterion}, DSA as for hard labels); with {@code hardLabels} true, on
   * cross-entropy against their argmax. Without logits, on the class labels of
   * {@code train}.
   *
   * @param labelLogits shape [train.count(), numClasses] row-major, or null
   * @throws IllegalArgumentException if the logits have the wrong length
   * @throws IllegalStateException if a network's training diverges
   */
  public static EvalResult evaluate(Model model, ImageSet train, float[] labelLogits,
      double learningRate, ImageSet test, EvalConfig config, SessionOptions options) {
    Run run = new Run(model, train, labelLogits, learningRate, config);
    SplittableRandom rng = new SplittableRandom(config.seed());
    double[] accuracies = new double[config.runs()];
    try (NetworkTrainer trainer = run.trainer(options)) {
      for (int k = 0; k < config.runs(); k++) {
        accuracies[k] = run.network(trainer, rng, test);
      }
    }
    return new EvalResult(accuracies);
  }

  /**
   * Network {@code k} of {@link #evaluate(Model, ImageSet, float[], double, ImageSet,
   * EvalConfig, SessionOptions)} alone, with the same initialization, augmentation and
   * shuffles as there (the shared generator is replayed past networks 0..k-1 without training
   * them), so K calls with k = 0..K-1 in any JVMs give its K accuracies exactly: one
   * distributed task per network.
   *
   * @param k the network, 0 <= k < config.runs()
   * @return its test accuracy in [0, 1]
   * @throws IllegalStateException if its training diverges
   */
  public static double evaluateNetwork(Model model, ImageSet train, float[] labelLogits,
      double learningRate, ImageSet test, EvalConfig config, SessionOptions options, int k) {
    checkArgument(k >= 0 && k < config.runs(), "network %s of %s", k, config.runs());
    Run run = new Run(model, train, labelLogits, learningRate, config);
    SplittableRandom rng = new SplittableRandom(config.seed());
    for (int j = 0; j < k; j++) {
      run.skipNetwork(rng);
    }
    try (NetworkTrainer trainer = run.trainer(options)) {
      return run.network(trainer, rng, test);
    }
  }

  /** One evaluation's fixed parts: the labels, the training and the augmentation. */
  private static final class Run {
    private final Model model;
    private final ImageSet train;
    private final float[] targets;
    private final Training training;
    private final Augmentation augmentation;

    Run(Model model, ImageSet train, float[] labelLogits, double learningRate,
        EvalConfig config) {
      checkArgument(learningRate > 0 && Double.isFinite(learningRate),
          "learningRate must be > 0, got %s", learningRate);
      int classes = model.spec().numClasses();
      checkArgument(labelLogits == null || labelLogits.length == (long) train.count() * classes,
          "expected %s label logits (%s images x %s classes), got %s",
          (long) train.count() * classes, train.count(), classes,
          labelLogits == null ? 0 : labelLogits.length);
      boolean soft = SOFT.equals(labelsUsed(labelLogits != null, config));
      if (labelLogits != null && !soft) {
        train = new ImageSet(train.images(), SyntheticSet.argmax(labelLogits, classes),
            train.height(), train.width(), train.channels());
      }
      this.model = model;
      this.train = train;
      this.targets = soft ? labelLogits : null;
      this.training = training(config, learningRate, soft);
      this.augmentation = config.dsa()
          ? new DsaAugmentation(DsaConfig.parse(config.dsaStrategy()), model.spec().input(),
              config.seed(), DsaAugmentation.Pairing.INDEPENDENT)
          : Augmentation.none();
    }

    NetworkTrainer trainer(SessionOptions options) {
      return new NetworkTrainer(model, training, augmentation, options);
    }

    /** Trains and tests the next network; its draws from {@code rng} in a fixed order. */
    double network(NetworkTrainer trainer, SplittableRandom rng, ImageSet test) {
      trainer.reset(model.initialParams(rng.nextLong()));
      augmentation.reseed(rng.nextLong());
      for (int epoch = 0; epoch < training.epochs(); epoch++) {
        int[] order = Permutations.random(train.count(), rng);
        trainer.trainEpoch(train, targets, order, epoch, null);
      }
      return trainer.accuracy(test);
    }

    /** The draws of {@link #network} without the training. */
    void skipNetwork(SplittableRandom rng) {
      rng.nextLong();
      rng.nextLong();
      for (int epoch = 0; epoch < training.epochs(); epoch++) {
        Permutations.random(train.count(), rng);
      }
    }
  }

  /**
   * The networks' training: {@code config.epochs() + 1} passes (evaluate_synset's
   * {@code range(Epoch + 1)}), SGD at {@code learningRate} with the config's momentum and
   * weight decay, x0.1 from pass {@code E // 2 + 2} on (it decays after pass
   * {@code E // 2 + 1} is trained) with the momentum buffer restarted there (it builds a new
   * {@code torch.optim.SGD}); no decay when that pass does not exist.
   *
   * @param learningRate the initial learning rate, > 0
   */
  public static Training training(EvalConfig config, double learningRate) {
    return training(config, learningRate, false);
  }

  /**
   * {@link #training(EvalConfig, double)} with the objective of the labels: soft
   * cross-entropy at {@code config.labelTemperature()} when {@code softLabels}, else
   * cross-entropy.
   */
  public static Training training(EvalConfig config, double learningRate,
      boolean softLabels) {
    int passes = config.epochs() + 1;
    long firstDecayed = config.epochs() / 2 + 2;
    long[] decay = firstDecayed < passes ? new long[] {firstDecayed} : new long[0];
    Sgd sgd = Optimizer.sgd(learningRate).withMomentum(config.momentum())
        .withWeightDecay(config.weightDecay()).withLrDecay(decay.length == 0 ? 1 : 0.1, decay)
        .withOnLrDecay(Sgd.OnLrDecay.NEW_OPTIMIZER);
    return new Training(passes, config.batchSize(), sgd, softLabels
        ? Objective.softCrossEntropy(config.labelTemperature())
        : Objective.crossEntropy(), config.dsa());
  }
}
