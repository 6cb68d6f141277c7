package org.dd4j.distill;

import java.util.Locale;

/** How the synthetic images start (spec section 5; MTT's {@code --pix_init}). */
public enum ImageInit {
  /** Random real training images of each class, in the preprocessed space. */
  REAL,
  /** Every value drawn from N(0, 1). */
  NOISE;

  /** The name used in configurations: "real" or "noise". */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException for a name other than "real" or "noise"
   */
  public static ImageInit named(String name) {
    for (ImageInit i : values()) {
      if (i.id().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("image init must be 'real' or 'noise', got '" + name
        + "'");
  }
}
