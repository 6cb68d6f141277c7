package org.dd4j.monitor;

import java.util.Set;
import org.dd4j.storage.EvalSets;

/**
 * The tags dd4j writes to TensorBoard, in the vocabulary of MTT's {@code distill.py} (which
 * logs {@code Grand_Loss}, {@code Synthetic_LR}, {@code Accuracy/<arch>}, {@code Std/<arch>},
 * {@code Pixels} and {@code Synthetic_Images} to wandb) where it has a word for the figure.
 *
 * <p>Steps: a buffer tag's step is the 1-based expert epoch; a distillation iteration's tags
 * are at its 0-based iteration; the images, pixels and evaluations of a set are at the number
 * of iterations done when it was saved or evaluated (MTT's convention: what is logged at
 * step {@code it} is the set before update {@code it}).
 */
public final class Tags {

  private Tags() {}

  // ---- buffer: one run per expert (tensorboard/expert-NNNNN), step = epoch (1-based)
  /** Mean training objective of the epoch. */
  public static final String TRAIN_LOSS = "Train_Loss";
  /** Fraction of training images classified right while training. */
  public static final String TRAIN_ACC = "Train_Acc";
  /** Fraction of the test set classified right after the epoch. */
  public static final String TEST_ACC = "Test_Acc";
  /** The epoch's learning rate. */
  public static final String LEARNING_RATE = "Learning_Rate";

  // ---- distillation, step = iteration (0-based)
  /** The normalized matching loss of the iteration (MTT eq. 2). */
  public static final String GRAND_LOSS = "Grand_Loss";
  /** syn_lr after the iteration's update. */
  public static final String SYN_LR = "Synthetic_LR";
  /** t, the expert epoch the student started from. */
  public static final String START_EPOCH = "Start_Epoch";
  /** The index of the expert the segment came from. */
  public static final String EXPERT = "Expert";
  /** Wall-clock seconds of the iteration. */
  public static final String SECONDS = "Seconds_Per_Iteration";
  /** At a skipped iteration: how many in a row have been skipped (metrics.jsonl has why). */
  public static final String SKIPPED = "Skipped";

  /** With regularizers: L, the objective the update descended (matching loss + terms). */
  public static final String OBJECTIVE = "Objective";
  /** With regularizers: {@code Regularizer/<label>}, R_k before the update, unweighted. */
  public static final String REGULARIZER = "Regularizer/";
  /** With regularizers: {@code Regularizer_Weight/<label>}, lambda_k at the iteration. */
  public static final String REGULARIZER_WEIGHT = "Regularizer_Weight/";

  /** The tags written once per iteration: those a resumed run writes again. */
  public static final Set<String> PER_ITERATION = Set.of(GRAND_LOSS, SYN_LR, START_EPOCH,
      EXPERT, SECONDS, SKIPPED, OBJECTIVE);

  /** Whether {@code tag} is written once per iteration ({@link #PER_ITERATION}, the terms). */
  public static boolean perIteration(String tag) {
    return PER_ITERATION.contains(tag) || tag.startsWith(REGULARIZER)
        || tag.startsWith(REGULARIZER_WEIGHT);
  }

  // ---- distillation, step = iterations done
  /** The synthetic images as one grid per class row (TensorFlow appends "/image"). */
  public static final String SYNTHETIC_IMAGES = "Synthetic_Images";
  /** A histogram of the synthetic pixels (normalized values, as optimized). */
  public static final String PIXELS = "Pixels";
  /** The image EMA's grid (FTD). */
  public static final String SYNTHETIC_IMAGES_EMA = "Synthetic_Images_EMA";
  /** The image EMA's pixels (FTD). */
  public static final String PIXELS_EMA = "Pixels_EMA";

  /** The resolved configuration, as Markdown (Text tab), at step 0. */
  public static final String CONFIG = "Config";

  /**
   * The mean test accuracy (fraction) of the networks trained on a set: {@code
   * Accuracy/<arch>} for the distilled set, {@code Accuracy/<arch>/<set id>} for the others
   * (the EMA "distilled_ema", "random_real", a coreset's name).
   */
  public static String accuracy(String setId, String architecture) {
    return "Accuracy/" + architecture + suffix(setId);
  }

  /** The standard deviation over the networks, named as {@link #accuracy}. */
  public static String std(String setId, String architecture) {
    return "Std/" + architecture + suffix(setId);
  }

  /** The set id of the distilled set, whose accuracy tags carry no suffix. */
  public static final String DISTILLED = EvalSets.DISTILLED;

  private static String suffix(String setId) {
    return setId.equals(DISTILLED) ? "" : "/" + setId;
  }
}
