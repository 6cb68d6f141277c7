package org.dd4j.data;

import java.util.Map;

/**
 * A fitted, invertible pixel transform applied to every image of a set, e.g. per-channel
 * normalization or ZCA whitening. Instances are immutable: fitting happens in a factory such as
 * {@link ChannelNormalization#fit} or {@link ZcaWhitening#fit}.
 */
public interface Preprocessing {

  /** Registered-style name saved in metadata, e.g. "normalize" or "zca". */
  String name();

  /**
   * Transforms images.
   *
   * @param images pixels [N, H, W, C] float32 of the shape this was fitted on
   * @return new array, same shape
   * @throws IllegalArgumentException if the length is not a multiple of the fitted image size
   */
  float[] apply(float[] images);

  /** {@link #apply(float[])} on the pixels of a set, keeping its labels and shape. */
  default ImageSet apply(ImageSet set) {
    return set.withImages(apply(set.images()));
  }

  /**
   * Undoes {@link #apply(float[])}, e.g. to view or save distilled images in [0,1] pixel space.
   *
   * @param images transformed pixels [N, H, W, C] float32
   * @return new array, same shape
   */
  float[] invert(float[] images);

  /**
   * Name and parameters for metadata: {@code "name"} plus small scalars and per-channel lists
   * (large matrices are not included).
   */
  Map<String, Object> describe();
}
