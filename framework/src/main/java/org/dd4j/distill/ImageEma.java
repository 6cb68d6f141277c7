package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * FTD's exponential moving average of the synthetic images, as an (init, update) pair over
 * immutable state: it starts at the initial images and after every applied outer step
 * {@code ema <- d * ema + (1 - d) * images}. Arithmetic in float32, element by element, in
 * the images' layout [n, H, W, C].
 *
 * <p>References: Du et al., "Minimizing the Accumulated Trajectory Error to Improve Dataset
 * Distillation" (FTD), CVPR 2023; spec section 5a (d = 0.999 to 0.9999).
 *
 * @param decay d, in (0, 1)
 */
public record ImageEma(double decay) {

  public ImageEma {
    checkArgument(decay > 0 && decay < 1, "decay must be in (0, 1), got %s", decay);
  }

  /**
   * The average's state: plain data, so that a checkpoint can store it.
   *
   * @param images the averaged images, same layout as the synthetic images (copied in and
   *     out)
   * @param steps updates applied so far
   */
  public record State(float[] images, long steps) {

    public State {
      checkNotNull(images, "images");
      checkArgument(steps >= 0, "steps must be >= 0, got %s", steps);
      images = images.clone();
    }

    @Override
    public float[] images() {
      return images.clone();
    }

    /** Number of averaged values. */
    public int size() {
      return images.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State s && steps == s.steps && Arrays.equals(images, s.images);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(images) + Long.hashCode(steps);
    }

    @Override
    public String toString() {
      return "ImageEma.State[size=" + images.length + ", steps=" + steps + "]";
    }
  }

  /** The average of nothing yet: the initial images themselves. */
  public State init(float[] images) {
    checkArgument(images.length > 0, "images must not be empty");
    return new State(images, 0);
  }

  /**
   * One update. Pure: neither {@code images} nor {@code state} is modified.
   *
   * @param images the images after this outer step, length {@code state.size()}
   * @throws IllegalArgumentException if the lengths differ
   */
  public State update(float[] images, State state) {
    checkArgument(images.length == state.size(), "images (%s) and state (%s) must have the"
        + " same length", images.length, state.size());
    float d = (float) decay;
    float e = (float) (1 - decay);
    float[] old = state.images;
    float[] out = new float[old.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = d * old[i] + e * images[i];
    }
    return new State(out, state.steps() + 1);
  }
}
