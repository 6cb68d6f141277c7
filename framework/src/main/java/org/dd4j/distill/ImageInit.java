package org.dd4j.distill;

import java.util.Locale;
import org.dd4j.synthetic.SyntheticSet;

/**
 * MTT's two initializers (spec section 5; {@code --pix_init}). Kept as an enum for existing
 * callers; new code can use {@link SyntheticInit#real()} and {@link SyntheticInit#noise()}.
 */
public enum ImageInit implements SyntheticInit {
  /** Random real training images of each class, in the preprocessed space. */
  REAL {
    @Override
    public SyntheticSet initialize(Context c) {
      return SyntheticSet.initReal(c.train(), c.numClasses(), c.ipc(), c.synLr(), c.rng());
    }
  },
  /** Every value drawn from N(0, 1). */
  NOISE {
    @Override
    public SyntheticSet initialize(Context c) {
      return SyntheticSet.initNoise(c.model().spec().input(), c.numClasses(), c.ipc(),
          c.synLr(), c.rng());
    }
  };

  /** The name used in configurations: "real" or "noise". */
  @Override
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException for a name other than "real" or "noise" (see
   *     {@link SyntheticInitRegistry} for every registered initializer)
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
