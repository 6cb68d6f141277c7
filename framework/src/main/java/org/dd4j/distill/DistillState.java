package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Everything a distillation run carries from one iteration to the next, as plain data (a
 * checkpoint stores it; together with the configuration it resumes a run exactly, since
 * iteration i's random draws depend only on the seed and i).
 *
 * @param set the synthetic images and syn_lr
 * @param imageOptimizer momentum state of the images' SGD, one value per pixel value
 * @param lrOptimizer momentum state of syn_lr's SGD, one value
 * @param nextIteration the 0-based iteration to run next (= iterations done)
 * @param consecutiveFailures iterations skipped in a row just before {@code nextIteration}
 */
public record DistillState(SyntheticSet set, SgdMomentum.State imageOptimizer,
    SgdMomentum.State lrOptimizer, int nextIteration, int consecutiveFailures) {

  public DistillState {
    checkNotNull(set, "set");
    checkNotNull(imageOptimizer, "imageOptimizer");
    checkNotNull(lrOptimizer, "lrOptimizer");
    checkArgument(imageOptimizer.size() == set.images().length,
        "image optimizer state has %s values, the images %s", imageOptimizer.size(),
        set.images().length);
    checkArgument(lrOptimizer.size() == 1, "syn_lr optimizer state must have 1 value, got %s",
        lrOptimizer.size());
    checkArgument(nextIteration >= 0, "nextIteration must be >= 0, got %s", nextIteration);
    checkArgument(consecutiveFailures >= 0, "consecutiveFailures must be >= 0, got %s",
        consecutiveFailures);
  }
}
