package org.dd4j.models;

/**
 * The normalization after each convolution, as {@link ModelSpec#norm()} names it.
 *
 * <p>References: DC/MTT reference code ({@code networks.py}): "instancenorm" is
 * {@code nn.GroupNorm(C, C, affine=True)}, "batchnorm" is {@code nn.BatchNorm2d(C)}.
 */
enum Norm {
  /** Per sample and channel over H, W; affine (GroupNorm(C, C)). */
  INSTANCE("instance"),
  /** Per channel over B, H, W in training, running statistics at test time; affine. */
  BATCH("batch"),
  /** No normalization, no parameters. */
  NONE("none");

  private final String specName;

  Norm(String specName) {
    this.specName = specName;
  }

  /**
   * @throws IllegalArgumentException for a name other than instance, batch, none
   */
  static Norm of(String specName) {
    for (Norm n : values()) {
      if (n.specName.equals(specName)) {
        return n;
      }
    }
    throw new IllegalArgumentException("norm must be instance, batch or none, got "
        + specName);
  }
}
