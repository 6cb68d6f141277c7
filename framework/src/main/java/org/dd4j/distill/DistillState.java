package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Optional;
import org.dd4j.synthetic.SyntheticSet;

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
 * @param imageEma FTD's moving average of the images (one value per pixel value), present
 *     when the configuration's {@code emaDecay} is > 0
 * @param labelOptimizer momentum state of the label logits' SGD (DATM's lr_y, Momentum_y),
 *     one value per label logit [n, C]; present exactly when the set has soft labels
 */
public record DistillState(SyntheticSet set, SgdMomentum.State imageOptimizer,
    SgdMomentum.State lrOptimizer, int nextIteration, int consecutiveFailures,
    Optional<ImageEma.State> imageEma, Optional<SgdMomentum.State> labelOptimizer) {

  /** A state with hard labels (no label optimizer). */
  public DistillState(SyntheticSet set, SgdMomentum.State imageOptimizer,
      SgdMomentum.State lrOptimizer, int nextIteration, int consecutiveFailures,
      Optional<ImageEma.State> imageEma) {
    this(set, imageOptimizer, lrOptimizer, nextIteration, consecutiveFailures, imageEma,
        Optional.empty());
  }

  public DistillState {
    checkNotNull(set, "set");
    checkNotNull(imageOptimizer, "imageOptimizer");
    checkNotNull(lrOptimizer, "lrOptimizer");
    checkNotNull(imageEma, "imageEma");
    checkArgument(imageOptimizer.size() == set.images().length,
        "image optimizer state has %s values, the images %s", imageOptimizer.size(),
        set.images().length);
    checkArgument(lrOptimizer.size() == 1, "syn_lr optimizer state must have 1 value, got %s",
        lrOptimizer.size());
    checkArgument(nextIteration >= 0, "nextIteration must be >= 0, got %s", nextIteration);
    checkArgument(consecutiveFailures >= 0, "consecutiveFailures must be >= 0, got %s",
        consecutiveFailures);
    checkArgument(imageEma.isEmpty() || imageEma.get().size() == set.images().length,
        "image EMA has %s values, the images %s",
        imageEma.map(ImageEma.State::size).orElse(0), set.images().length);
    checkNotNull(labelOptimizer, "labelOptimizer");
    checkArgument(labelOptimizer.isPresent() == set.hasSoftLabels(), "the set %s soft labels"
        + " but the state %s a label optimizer", set.hasSoftLabels() ? "has" : "has no",
        labelOptimizer.isPresent() ? "has" : "has no");
    checkArgument(labelOptimizer.isEmpty() || labelOptimizer.get().size()
        == set.count() * set.numClasses(), "label optimizer state has %s values, the label"
        + " logits %s", labelOptimizer.map(SgdMomentum.State::size).orElse(0),
        set.count() * set.numClasses());
  }

  /** A state without an image EMA. */
  public DistillState(SyntheticSet set, SgdMomentum.State imageOptimizer,
      SgdMomentum.State lrOptimizer, int nextIteration, int consecutiveFailures) {
    this(set, imageOptimizer, lrOptimizer, nextIteration, consecutiveFailures,
        Optional.empty());
  }

  /**
   * The synthetic set with the EMA images in place of the raw ones (same labels and
   * syn_lr), the set FTD evaluates and saves beside the raw one.
   */
  public Optional<SyntheticSet> emaSet() {
    return imageEma.map(e -> set.with(e.images(), set.synLr()));
  }

  /** This state past a skipped iteration: the same set and optimizers, the counters given. */
  public DistillState skipped(int nextIteration, int consecutiveFailures) {
    return new DistillState(set, imageOptimizer, lrOptimizer, nextIteration,
        consecutiveFailures, imageEma, labelOptimizer);
  }
}
