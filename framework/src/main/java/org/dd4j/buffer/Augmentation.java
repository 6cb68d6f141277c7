package org.dd4j.buffer;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An in-graph, per-batch image augmentation (DSA implements it). Must be differentiable
 * w.r.t. the images where it is used in distillation.
 */
@FunctionalInterface
public interface Augmentation {

  /**
   * @param images shape [B, H, W, C]
   * @return augmented images, same shape
   */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> images);

  /** No augmentation. */
  static Augmentation none() {
    return (tf, images) -> images;
  }
}
