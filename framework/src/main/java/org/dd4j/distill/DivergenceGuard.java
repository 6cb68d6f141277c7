package org.dd4j.distill;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Decides whether an outer iteration's update may be applied, and when a run has diverged.
 * Not in the reference code, which lets NaN and negative syn_lr through (spec section 5).
 *
 * <p>An iteration is skipped (its state kept, only the counters advance) when the matching
 * loss or its gradients are not finite ({@link #checkRun}), or when the update would make
 * syn_lr non-finite, &lt;= 0 or above {@link DistillConfig#maxSynLr()} (exploding), or the
 * images non-finite ({@link #checkUpdate}), or the label logits or their gradient non-finite
 * ({@link #checkLabels}). DATM's loss threshold ({@link #checkThreshold}) also skips an
 * iteration, but does not count as a failure. After {@link DistillConfig#maxConsecutiveFailures()}
 * skips in a row the run stops with a {@link DistillationDivergedException}, rolled back to the
 * last good {@link Checkpoint} when there is one ({@link #diverged}).
 */
final class DivergenceGuard {

  private final DistillConfig config;

  DivergenceGuard(DistillConfig config) {
    this.config = config;
  }

  /**
   * Why the graph's output cannot be used, or empty.
   *
   * @param loss the matching loss
   * @param imageGrad dL/d images, shape [n, H, W, C]
   * @param lrGrad dL/d syn_lr
   */
  Optional<String> checkRun(float loss, float[] imageGrad, float lrGrad) {
    if (!Float.isFinite(loss)) {
      return Optional.of("loss is " + loss);
    } else if (!allFinite(imageGrad)) {
      return Optional.of("image gradient is not finite");
    } else if (!Float.isFinite(lrGrad)) {
      return Optional.of("syn_lr gradient is " + lrGrad);
    }
    return Optional.empty();
  }

  /**
   * Why the update's result cannot be kept, or empty.
   *
   * @param synLr syn_lr before the update
   * @param newSynLr syn_lr after it
   * @param newImages the images after it, shape [n, H, W, C]
   */
  Optional<String> checkUpdate(double synLr, float newSynLr, float[] newImages) {
    if (!Float.isFinite(newSynLr) || newSynLr <= 0) {
      return Optional.of("syn_lr would become " + newSynLr + " (from " + synLr + ")");
    } else if (newSynLr > config.maxSynLr()) {
      return Optional.of("syn_lr would explode to " + newSynLr + " (from " + synLr
          + "; bound " + config.maxSynLr() + " = maxSynLrRatio x lr_teacher)");
    } else if (!allFinite(newImages)) {
      return Optional.of("images would become non-finite");
    }
    return Optional.empty();
  }

  /**
   * Why the label logits' gradient or update cannot be used, or empty (soft labels, DATM).
   *
   * @param labelGrad dL/d label logits [n, C]
   * @param newLabels the label logits after the update, or null before it
   */
  Optional<String> checkLabels(float[] labelGrad, float[] newLabels) {
    if (!allFinite(labelGrad)) {
      return Optional.of("label logit gradient is not finite");
    } else if (newLabels != null && !allFinite(newLabels)) {
      return Optional.of("label logits would become non-finite");
    }
    return Optional.empty();
  }

  /**
   * DATM's loss threshold: why a finite matching loss above {@code loss_threshold} updates
   * nothing (distill/DATM.py: the optimizers step only when {@code grand_loss <= threshold}),
   * or empty (also when the threshold is 0, off).
   */
  Optional<String> checkThreshold(float loss) {
    if (aboveThreshold(config, loss)) {
      return Optional.of("matching loss " + loss + " is above loss_threshold "
          + config.get(DistillConfig.LOSS_THRESHOLD));
    }
    return Optional.empty();
  }

  /**
   * Whether an iteration with this matching loss is skipped by DATM's loss threshold (0: no
   * threshold); the adjoint sweep asks it too, to stop before its backward pass.
   */
  static boolean aboveThreshold(DistillConfig config, float loss) {
    double threshold = config.get(DistillConfig.LOSS_THRESHOLD);
    return threshold > 0 && loss > threshold;
  }

  /**
   * The skip of iteration {@code state.nextIteration()} by the loss threshold: reported like
   * a failure but not counted as one (consecutive keeps the failures in a row so far), since
   * a hard segment is no divergence and DATM never stops for it.
   */
  SkippedIteration thresholdSkip(DistillState state, SegmentSampler.Segment segment,
      String reason, float loss) {
    return new SkippedIteration(state.nextIteration(), segment.expert(), segment.startEpoch(),
        reason, loss, state.consecutiveFailures());
  }

  /**
   * The skip of iteration {@code state.nextIteration()}, counting the failures in a row.
   *
   * @param loss the matching loss of the run (may be NaN or infinite)
   */
  SkippedIteration skip(DistillState state, SegmentSampler.Segment segment, String reason,
      float loss) {
    return new SkippedIteration(state.nextIteration(), segment.expert(), segment.startEpoch(),
        reason, loss, state.consecutiveFailures() + 1);
  }

  /** {@code state} past the skipped iteration {@code s}: images, syn_lr and optimizers kept. */
  static DistillState kept(DistillState state, SkippedIteration s) {
    return state.skipped(s.iteration() + 1, s.consecutive());
  }

  /** Whether {@code s} is one skip too many: the run must stop. */
  boolean givesUp(SkippedIteration s) {
    return s.consecutive() >= config.maxConsecutiveFailures();
  }

  /**
   * The stop after too many skips, rolled back to the checkpoint when there is one.
   *
   * @param checkpoint the run's checkpoint file, holding its last good state; empty without
   */
  DistillationDivergedException diverged(SkippedIteration s, Optional<Path> checkpoint) {
    String msg = String.format("distillation diverged: %d iterations in a row were skipped,"
            + " the last at iteration %d (expert %d, start epoch %d): %s; lower lr_img (%s) or"
            + " lr_lr (%s), or check the buffer for non-finite parameters",
        s.consecutive(), s.iteration(), s.expert(), s.startEpoch(), s.reason(),
        config.lrImg(), config.lrLr());
    if (checkpoint.isEmpty()) {
      return new DistillationDivergedException(msg, null);
    }
    Path file = checkpoint.get();
    try {
      DistillState good = Checkpoint.load(file, config);
      return new DistillationDivergedException(msg + String.format("; rolled back to"
              + " iteration %d of checkpoint %s (the last good state; the %d iterations after"
              + " it are discarded): resume from it after lowering lr_img or lr_lr",
          good.nextIteration(), file, s.iteration() + 1 - good.nextIteration()), good);
    } catch (RuntimeException e) {
      var ex = new DistillationDivergedException(msg + "; could not roll back: checkpoint "
          + file + " cannot be read (" + e.getMessage() + ")", null);
      ex.addSuppressed(e);
      return ex;
    }
  }

  private static boolean allFinite(float[] a) {
    for (float v : a) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
