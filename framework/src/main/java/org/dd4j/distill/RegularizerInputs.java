package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * What a {@link Regularizer} sees in one outer iteration, as graph operands.
 *
 * @param images the synthetic images X, [n, H, W, C] NHWC, in the data's preprocessed space
 * @param labelLogits the learnable label logits [n, C] (DATM, label_init not "hard"), or
 *     empty with hard labels
 * @param synLr syn_lr, a scalar (the student's step size, per parameter step)
 * @param path the student path w_0..w_N and the expert snapshots traj[t..t+M] of this
 *     iteration; a term reading it is differentiated through the unrolled student (full) or
 *     gets its dL/dw_k in the adjoint sweep
 * @param range the per-channel range of the data's preprocessed training images
 * @param labelTemperature T of the soft targets softmax(label logits / T)
 * @param <T> float type of the graph
 */
public record RegularizerInputs<T extends TFloating>(Operand<T> images,
    Optional<Operand<T>> labelLogits, Operand<T> synLr, Matching<T> path, PixelRange range,
    double labelTemperature) {

  public RegularizerInputs {
    checkNotNull(images, "images");
    checkNotNull(labelLogits, "labelLogits");
    checkNotNull(synLr, "synLr");
    checkNotNull(path, "path");
    checkNotNull(range, "range");
  }

  /**
   * The label logits [n, C].
   *
   * @param who the term asking, for the message
   * @throws IllegalArgumentException with hard labels
   */
  public Operand<T> requireLabelLogits(String who) {
    checkArgument(labelLogits.isPresent(), "regularizer '%s' reads the learnable label logits,"
        + " but this run has hard labels; set label_init (e.g. correct-experts) or remove it",
        who);
    return labelLogits.get();
  }
}
