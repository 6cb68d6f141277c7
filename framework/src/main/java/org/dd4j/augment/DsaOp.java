package org.dd4j.augment;

/**
 * The eight differentiable siamese augmentation ops of DSA, with the rule each applies to
 * one sample (U = uniform(0, 1), drawn per sample; the ratios are {@link DsaConfig}'s).
 *
 * <p>References: Zhao &amp; Bilen, "Dataset Condensation with Differentiable Siamese
 * Augmentation", ICML 2021, section 3 and their code ({@code DiffAugment}); spec section 3.
 */
public enum DsaOp {
  /** {@code x + (U - 0.5) * brightness}. */
  BRIGHTNESS,
  /** {@code (x - m) * (U * saturation) + m}, m the per-pixel mean over channels. */
  SATURATION,
  /** {@code (x - m) * (U + contrast) + m}, m the per-image mean over H, W and C. */
  CONTRAST,
  /**
   * Integer shift of up to {@code round(cropRatio * H)} rows and {@code round(cropRatio * W)}
   * columns either way; pixels shifted in are 0.
   */
  CROP,
  /**
   * Zeroes a square of side {@code round(cutoutRatio * H)} (by {@code round(cutoutRatio * W)})
   * at a random centre; the part outside the image is dropped.
   */
  CUTOUT,
  /** Horizontal (left-right) flip with probability {@code flipProbability}. */
  FLIP,
  /**
   * Scales x and y independently by factors in U(1/scaleRatio, scaleRatio) about the image
   * centre (an affine grid, bilinear resampling, zeros outside).
   */
  SCALE,
  /**
   * Rotates by an angle in U(-rotateDegrees, rotateDegrees) degrees about the image centre
   * (bilinear resampling, zeros outside).
   */
  ROTATE
}
