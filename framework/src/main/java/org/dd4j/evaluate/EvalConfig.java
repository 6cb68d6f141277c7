package org.dd4j.evaluate;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.dd4j.augment.DsaConfig;
import org.dd4j.settings.Setting;
import org.dd4j.settings.Settings;
import org.dd4j.settings.SettingsSchema;

/**
 * The evaluation protocol of MTT (spec section 6): fresh networks trained on a small set with
 * SGD (momentum 0.9, weight decay 5e-4, batch 256), E + 1 passes with the learning rate x0.1
 * and a fresh momentum buffer after pass E // 2 + 1 ({@link Evaluator#training}), DSA on,
 * then tested once on the whole real test set.
 *
 * @param epochs E, MTT's epoch_eval_train (reference 1000; fewer on CPU); E + 1 passes are
 *     trained, as evaluate_synset does
 * @param batchSize images per step (reference 256; a set smaller than that is one batch)
 * @param momentum SGD momentum (0.9)
 * @param weightDecay L2 coefficient added to the gradient (5e-4)
 * @param runs K networks, each from its own initialization (reference 5)
 * @param dsaStrategy DSA op groups for training batches, or "none"
 * @param seed seeds initializations, shuffles and DSA draws of all K runs
 * @param hardLabels train on hard labels (the argmax of the label logits) even when the set
 *     carries learned soft labels; false trains such a set with soft cross-entropy (DATM)
 * @param labelTemperature T of the soft targets softmax(label logits / T) (DATM: 1)
 */
public record EvalConfig(int epochs, int batchSize, double momentum, double weightDecay,
    int runs, String dsaStrategy, long seed, boolean hardLabels, double labelTemperature)
    implements java.io.Serializable {

  /**
   * The evaluation settings, described once: {@code dd4j distill|evaluate --eval-KEY},
   * the DSL's {@code evaluate { }} properties and {@code --set evaluate.KEY} derive from it.
   */
  public static final SettingsSchema SCHEMA = new SettingsSchema("evaluate");

  public static final Setting<Integer> EPOCHS = SCHEMA.add(Setting.integer("epochs", 300,
      "E, epochs of each evaluation network on the small set (reference 1000): E + 1 passes,"
          + " lr x0.1 after pass E // 2 + 1, as evaluate_synset").check(v -> v > 0, "> 0")
      .aliases("epoch_eval_train"));
  public static final Setting<Integer> RUNS = SCHEMA.add(Setting.integer("runs", 5,
      "K, networks trained per evaluation").check(v -> v > 0, "> 0").aliases("num_eval")
      .label("K"));
  public static final Setting<Integer> BATCH_TRAIN = SCHEMA.add(Setting.integer("batch_train",
      256, "images per evaluation SGD step").check(v -> v > 0, "> 0").label("B"));
  public static final Setting<Double> MOMENTUM = SCHEMA.add(Setting.number("momentum", 0.9,
      "SGD momentum of the evaluation networks").check(v -> v >= 0 && v < 1, "in [0, 1)")
      .label("MU"));
  public static final Setting<Double> WEIGHT_DECAY = SCHEMA.add(Setting.number(
      "weight_decay", 5e-4, "L2 coefficient added to the evaluation networks' gradient")
      .check(v -> v >= 0, ">= 0").label("WD"));
  public static final Setting<String> DSA = SCHEMA.add(DsaConfig.setting(
      "DSA while training the evaluation networks, or none"));
  public static final Setting<Long> SEED = SCHEMA.add(Setting.longInteger("seed", 0,
      "seeds the networks' initializations, shuffles and DSA draws, and the baselines' "
          + "draws (random real images, k-means seeding)"));
  public static final Setting<Boolean> RANDOM_BASELINE = SCHEMA.add(Setting.flag(
      "random_baseline", true, "also evaluate random real images at the same ipc"));

  public static final Setting<Boolean> HARD_LABELS = SCHEMA.add(Setting.flag("hard_labels",
      false, "train on hard labels (argmax of the label logits) even when the set carries "
          + "learned soft labels; otherwise such a set trains with soft cross-entropy (DATM)"));
  public static final Setting<Double> LABEL_TEMPERATURE = SCHEMA.add(Setting.number(
      "label_temperature", 1.0, "T of the soft targets softmax(label logits / T) when "
          + "training on soft labels (DATM's evaluation: 1)").check(
              v -> v > 0 && Double.isFinite(v), "finite and > 0"));

  /** {@link #SCORES} value: no DD-Ranking scores. */
  public static final String NO_SCORES = "none";

  /** {@link #SCORES} value: DD-Ranking's HLR, IOR, LRS and ARS ({@link DdRankingScores}). */
  public static final String DD_RANKING = "dd-ranking";

  public static final Setting<String> SCORES = SCHEMA.add(Setting.text("scores", NO_SCORES,
      "'dd-ranking' adds DD-Ranking's HLR, IOR, LRS and ARS of the synthetic set (K rounds, "
          + "5 more networks each), or none").check(
              v -> v.equals(NO_SCORES) || v.equals(DD_RANKING), "none or dd-ranking"));
  public static final Setting<Double> LRS_WEIGHT = SCHEMA.add(Setting.number("lrs_weight",
      DdRankingScores.DEFAULT_WEIGHT, "w of LRS: alpha = w IOR - (1 - w) HLR (DD-Ranking's "
          + "lrs_lambda)").check(v -> v >= 0 && v <= 1, "in [0, 1]").aliases("lrs_lambda"));
  public static final Setting<Double> ARS_WEIGHT = SCHEMA.add(Setting.number("ars_weight",
      DdRankingScores.DEFAULT_WEIGHT, "gamma of ARS, the weight of the augmented difference "
          + "(DD-Ranking's ars_lambda)").check(v -> v >= 0 && v <= 1, "in [0, 1]")
      .aliases("ars_lambda"));
  public static final Setting<Boolean> LR_SEARCH = SCHEMA.add(Setting.flag("lr_search", false,
      "for the scores, train the sets DD-Ranking tunes (random subsets, the set with hard "
          + "labels) at each lr of {0.001, 0.005, 0.01, 0.05, 0.1} and keep the best per "
          + "round"));
  public static final Setting<Double> FULL_DATA_ACCURACY = SCHEMA.add(Setting.number(
      "full_data_accuracy", 0.0, "HLR's accuracy of networks trained on the whole training "
          + "set with hard labels, a fraction; 0 reads it from the cache (see full_data)")
      .check(v -> v >= 0 && v <= 1, "in [0, 1]"));
  public static final Setting<Boolean> FULL_DATA = SCHEMA.add(Setting.flag("full_data", false,
      "measure the full-data accuracy HLR needs when it is not cached (K networks, E epochs "
          + "on the whole training set) and cache it under cache/full-data-accuracy/"));

  /** Hard labels by default, temperature 1: the protocol of a set without soft labels. */
  public EvalConfig(int epochs, int batchSize, double momentum, double weightDecay, int runs,
      String dsaStrategy, long seed) {
    this(epochs, batchSize, momentum, weightDecay, runs, dsaStrategy, seed,
        HARD_LABELS.defaultValue(), LABEL_TEMPERATURE.defaultValue());
  }

  public EvalConfig {
    checkArgument(epochs > 0, "epochs must be > 0, got %s", epochs);
    checkArgument(batchSize > 0, "batchSize must be > 0, got %s", batchSize);
    checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s",
        momentum);
    checkArgument(weightDecay >= 0, "weightDecay must be >= 0, got %s", weightDecay);
    checkArgument(runs > 0, "runs must be > 0, got %s", runs);
    checkNotNull(dsaStrategy, "dsaStrategy");
    checkArgument(labelTemperature > 0 && Double.isFinite(labelTemperature),
        "labelTemperature must be finite and > 0, got %s", labelTemperature);
  }

  /** The protocol of {@link #SCHEMA}'s values. */
  public static EvalConfig from(Settings s) {
    return new EvalConfig(s.get(EPOCHS), s.get(BATCH_TRAIN), s.get(MOMENTUM),
        s.get(WEIGHT_DECAY), s.get(RUNS), s.get(DSA), s.get(SEED), s.get(HARD_LABELS),
        s.get(LABEL_TEMPERATURE));
  }

  /** The reference protocol (the defaults) with {@code epochs} epochs and K = 5 networks. */
  public static EvalConfig mtt(int epochs) {
    return from(Settings.builder(SCHEMA).set(EPOCHS, epochs).build());
  }

  public boolean dsa() {
    return !dsaStrategy.equals(DsaConfig.NONE);
  }

  /** This protocol with another DSA strategy ("none" for no augmentation). */
  public EvalConfig withDsa(String strategy) {
    return new EvalConfig(epochs, batchSize, momentum, weightDecay, runs, strategy, seed,
        hardLabels, labelTemperature);
  }

  /** This protocol with {@code runs} networks seeded by {@code seed}. */
  public EvalConfig withRuns(int k, long newSeed) {
    return new EvalConfig(epochs, batchSize, momentum, weightDecay, k, dsaStrategy, newSeed,
        hardLabels, labelTemperature);
  }

  /** This protocol with {@link #hardLabels} set. */
  public EvalConfig withHardLabels(boolean hard) {
    return new EvalConfig(epochs, batchSize, momentum, weightDecay, runs, dsaStrategy, seed,
        hard, labelTemperature);
  }
}
