package org.dd4j.augment;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
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

  /**
   * Feeds this run's random draws (if the augmentation has any) before a run of a graph
   * built with {@link #apply}.
   *
   * @param batch B of the augmented batch in this run
   * @return the fed inputs, to close after the run
   */
  default Feed feed(Session.Runner runner, int batch) {
    return () -> {};
  }

  /**
   * Restarts the random draws from {@code seed}, so that what one expert sees does not
   * depend on the experts trained before it in the same process.
   */
  default void reseed(long seed) {}

  /** Name and settings, for metadata and saved configurations. */
  default Map<String, Object> describe() {
    return Map.of("name", "none");
  }

  /** Per-run inputs of an augmentation, released after the run. */
  interface Feed extends AutoCloseable {
    @Override
    void close();
  }

  /** No augmentation. */
  static Augmentation none() {
    return (tf, images) -> images;
  }
}
