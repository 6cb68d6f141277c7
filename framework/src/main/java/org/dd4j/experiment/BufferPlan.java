package org.dd4j.experiment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.dd4j.augment.DsaConfig;
import org.dd4j.train.Training;

/**
 * The buffer phase of an experiment: E experts trained on the real data (spec section 4).
 *
 * @param experts E, the number of experts (MTT: 100), > 0
 * @param training each expert's optimizer, epochs and schedule
 * @param dsaStrategy DSA op groups applied to training batches when
 *     {@code training.augment()} (MTT: "color_crop_cutout_flip_scale_rotate")
 * @param seed expert i is seeded from (seed, i)
 * @param trainImages train on the first N training images only; 0 = all
 * @param tensorboard whether the phase writes TensorBoard event files
 *     ({@link org.dd4j.settings.EventSettings#TENSORBOARD}; run-only, not in config.json)
 */
public record BufferPlan(int experts, Training training, String dsaStrategy, long seed,
    int trainImages, boolean tensorboard) {

  /** A plan that writes TensorBoard event files. */
  public BufferPlan(int experts, Training training, String dsaStrategy, long seed,
      int trainImages) {
    this(experts, training, dsaStrategy, seed, trainImages, true);
  }

  /**
   * @throws IllegalArgumentException for experts &lt;= 0, an unknown DSA group or
   *     trainImages &lt;= 0
   */
  public BufferPlan {
    checkArgument(experts > 0, "experts must be > 0, got %s", experts);
    checkNotNull(training, "training");
    checkNotNull(dsaStrategy, "dsaStrategy");
    DsaConfig.parse(dsaStrategy);
    checkArgument(trainImages >= 0, "trainImages must be >= 0 (0 = all), got %s", trainImages);
  }
}
