package org.dd4j.evaluate;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The evaluation protocol of MTT (spec section 6): fresh networks trained on a small set with
 * SGD (momentum 0.9, weight decay 5e-4, batch 256), the learning rate x0.1 at half the
 * epochs, DSA on, then tested once on the whole real test set.
 *
 * @param epochs E, training epochs over the small set (reference 1000; fewer on CPU)
 * @param batchSize images per step (reference 256; a set smaller than that is one batch)
 * @param momentum SGD momentum (0.9)
 * @param weightDecay L2 coefficient added to the gradient (5e-4)
 * @param runs K networks, each from its own initialization (reference 5)
 * @param dsaStrategy DSA op groups for training batches, or "none"
 * @param seed seeds initializations, shuffles and DSA draws of all K runs
 */
public record EvalConfig(int epochs, int batchSize, double momentum, double weightDecay,
    int runs, String dsaStrategy, long seed) {

  public EvalConfig {
    checkArgument(epochs > 0, "epochs must be > 0, got %s", epochs);
    checkArgument(batchSize > 0, "batchSize must be > 0, got %s", batchSize);
    checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s",
        momentum);
    checkArgument(weightDecay >= 0, "weightDecay must be >= 0, got %s", weightDecay);
    checkArgument(runs > 0, "runs must be > 0, got %s", runs);
    checkNotNull(dsaStrategy, "dsaStrategy");
  }

  /** The reference protocol with {@code epochs} epochs and K = 5 networks. */
  public static EvalConfig mtt(int epochs) {
    return new EvalConfig(epochs, 256, 0.9, 5e-4, 5,
        "color_crop_cutout_flip_scale_rotate", 0);
  }

  public boolean dsa() {
    return !dsaStrategy.equals("none");
  }
}
