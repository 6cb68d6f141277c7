package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.dd4j.data.ImageSet;

/**
 * The range of the data's preprocessed pixels, per channel: the smallest and largest value
 * of each channel over the training images, in the preprocessed space (with mean/std
 * normalization about (0 - mean) / std to (1 - mean) / std; with ZCA whatever the whitening
 * gives). {@link PixelRangePenalty} keeps the synthetic images inside it.
 *
 * @param low per channel, [C]
 * @param high per channel, [C], each >= low
 */
public record PixelRange(float[] low, float[] high) {

  /** No range known: every bound infinite (a range penalty is then refused). */
  public static final PixelRange UNKNOWN = new PixelRange(new float[0], new float[0]);

  public PixelRange {
    checkNotNull(low, "low");
    checkNotNull(high, "high");
    checkArgument(low.length == high.length, "low has %s channels, high %s", low.length,
        high.length);
    for (int c = 0; c < low.length; c++) {
      checkArgument(Float.isFinite(low[c]) && Float.isFinite(high[c]) && low[c] <= high[c],
          "channel %s: the range [%s, %s] must be finite with low <= high", c, low[c],
          high[c]);
    }
    low = low.clone();
    high = high.clone();
  }

  /** The per-channel minimum and maximum of {@code images} ([N, H, W, C]). */
  public static PixelRange of(ImageSet images) {
    int channels = images.channels();
    float[] lo = new float[channels];
    float[] hi = new float[channels];
    Arrays.fill(lo, Float.POSITIVE_INFINITY);
    Arrays.fill(hi, Float.NEGATIVE_INFINITY);
    float[] x = images.images();
    for (int i = 0; i < x.length; i++) {
      int c = i % channels;
      lo[c] = Math.min(lo[c], x[i]);
      hi[c] = Math.max(hi[c], x[i]);
    }
    return new PixelRange(lo, hi);
  }

  /** Whether the range is known ({@link #UNKNOWN} is not). */
  public boolean known() {
    return low.length > 0;
  }

  public int channels() {
    return low.length;
  }

  @Override
  public float[] low() {
    return low.clone();
  }

  @Override
  public float[] high() {
    return high.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PixelRange r && Arrays.equals(low, r.low) && Arrays.equals(high, r.high);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(low) + Arrays.hashCode(high);
  }

  @Override
  public String toString() {
    return "PixelRange" + Arrays.toString(low) + ".." + Arrays.toString(high);
  }
}
