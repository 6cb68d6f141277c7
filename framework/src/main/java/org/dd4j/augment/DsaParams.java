package org.dd4j.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.util.Arrays;

/**
 * One call's DSA draw for a batch of B images of H x W pixels, in the form the graph
 * consumes ({@link Dsa}): every op is folded into three small per-sample tables, so that the
 * graph is the same whichever group was chosen; ops not in the chosen group are identities.
 *
 * <ul>
 *   <li>{@code color}, [B, 4] = (a, b, c, d): {@code y = a x + b mean_C(x) + c mean_HWC(x) + d}
 *       (brightness, saturation and contrast compose into this form; identity (1, 0, 0, 0)).
 *   <li>{@code affine}, [B, 6] = (a0, a1, a2, a3, a4, a5): output pixel (column x, row y)
 *       samples the input bilinearly at column {@code a0 x + a1 y + a2}, row
 *       {@code a3 x + a4 y + a5} (pixel units, pixel centres at integers, zeros outside).
 *       Crop and flip give integer maps (exact copies), scale and rotate PyTorch's
 *       {@code affine_grid} + {@code grid_sample} map. Identity (1, 0, 0, 0, 1, 0).
 *   <li>{@code cutout}, [B, 4] = (row0, row1, col0, col1): output pixels with row in
 *       [row0, row1) and column in [col0, col1) are zeroed. None: (0, 0, 0, 0).
 * </ul>
 *
 * <p>The arrays are row-major and owned by this object; do not modify them.
 *
 * @param group the group chosen for this call (its name), or {@code "none"}
 * @param batch B
 * @param height H
 * @param width W
 */
public record DsaParams(String group, int batch, int height, int width, double[] color,
    double[] affine, double[] cutout) {

  /** PyTorch's {@code align_corners} flag of {@code affine_grid} / {@code grid_sample}. */
  public enum AlignCorners {
    /** Grid -1 and 1 are the outer edges of the border pixels (PyTorch's default). */
    FALSE,
    /** Grid -1 and 1 are the centres of the border pixels (MTT's and later DSA code). */
    TRUE
  }

  public DsaParams {
    checkArgument(batch > 0 && height > 0 && width > 0, "batch, height and width must be > 0,"
        + " got %s, %s, %s", batch, height, width);
    checkArgument(color.length == 4 * batch, "color must have 4 B = %s values, got %s",
        4 * batch, color.length);
    checkArgument(affine.length == 6 * batch, "affine must have 6 B = %s values, got %s",
        6 * batch, affine.length);
    checkArgument(cutout.length == 4 * batch, "cutout must have 4 B = %s values, got %s",
        4 * batch, cutout.length);
  }

  /** No augmentation. */
  public static DsaParams identity(int batch, int height, int width) {
    return builder("none", batch, height, width).build();
  }

  /** A builder starting from the identity; ops are then applied per sample, in order. */
  public static Builder builder(String group, int batch, int height, int width) {
    return new Builder(group, batch, height, width);
  }

  /**
   * Every sample gets sample 0's parameters, for {@code batch} samples: DSA's batch-wise
   * mode ({@code theta[:] = theta[0]}), which lets a real and a synthetic batch of different
   * sizes share one draw.
   */
  public DsaParams repeatFirst(int newBatch) {
    checkArgument(newBatch > 0, "batch must be > 0, got %s", newBatch);
    double[] c = new double[4 * newBatch];
    double[] a = new double[6 * newBatch];
    double[] k = new double[4 * newBatch];
    for (int i = 0; i < newBatch; i++) {
      System.arraycopy(color, 0, c, 4 * i, 4);
      System.arraycopy(affine, 0, a, 6 * i, 6);
      System.arraycopy(cutout, 0, k, 4 * i, 4);
    }
    return new DsaParams(group, newBatch, height, width, c, a, k);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DsaParams p && group.equals(p.group) && batch == p.batch
        && height == p.height && width == p.width && Arrays.equals(color, p.color)
        && Arrays.equals(affine, p.affine) && Arrays.equals(cutout, p.cutout);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(color) + Arrays.hashCode(affine))
        + Arrays.hashCode(cutout);
  }

  @Override
  public String toString() {
    return "DsaParams[group=" + group + ", batch=" + batch + ", " + height + "x" + width + "]";
  }

  /**
   * The pixel-unit map (a0..a5) of a PyTorch affine matrix {@code theta} (2 x 3, row-major,
   * mapping normalised output grid coordinates (x, y) to input ones). For square images the
   * two alignments give the same map for DSA's scale and rotate matrices (no translation).
   */
  static double[] pixelAffine(double[] theta, int height, int width, AlignCorners align) {
    double w = width;
    double h = height;
    // normalised g = sx * pixel + tx (output), pixel = (g - ox) * ux (input)
    double sx;
    double tx;
    double sy;
    double ty;
    double ux;
    double uy;
    if (align == AlignCorners.FALSE) {
      sx = 2 / w;
      tx = 1 / w - 1;
      sy = 2 / h;
      ty = 1 / h - 1;
      ux = w / 2;
      uy = h / 2;
    } else {
      sx = 2 / (w - 1);
      tx = -1;
      sy = 2 / (h - 1);
      ty = -1;
      ux = (w - 1) / 2;
      uy = (h - 1) / 2;
    }
    // input pixel = u * (n + 1) - (align FALSE ? 1/2 : 0), n = theta (g, 1)
    double offX = align == AlignCorners.FALSE ? 0.5 : 0;
    double offY = offX;
    return new double[] {
        ux * theta[0] * sx,
        ux * theta[1] * sy,
        ux * (theta[0] * tx + theta[1] * ty + theta[2] + 1) - offX,
        uy * theta[3] * sx,
        uy * theta[4] * sy,
        uy * (theta[3] * tx + theta[4] * ty + theta[5] + 1) - offY};
  }

  /**
   * Builds a draw sample by sample. Colour ops compose; a sample takes at most one spatial
   * op (crop, cutout, flip, scale, rotate).
   */
  public static final class Builder {
    private final String group;
    private final int batch;
    private final int height;
    private final int width;
    private final double[] color;
    private final double[] affine;
    private final double[] cutout;
    private final boolean[] spatialSet;
    private boolean built;

    private Builder(String group, int batch, int height, int width) {
      checkArgument(batch > 0 && height > 0 && width > 0, "batch, height and width must be"
          + " > 0, got %s, %s, %s", batch, height, width);
      this.group = group;
      this.batch = batch;
      this.height = height;
      this.width = width;
      color = new double[4 * batch];
      affine = new double[6 * batch];
      cutout = new double[4 * batch];
      spatialSet = new boolean[batch];
      for (int i = 0; i < batch; i++) {
        color[4 * i] = 1;
        affine[6 * i] = 1;
        affine[6 * i + 4] = 1;
      }
    }

    /** {@code x + shift}. */
    public Builder brightness(int sample, double shift) {
      color[4 * sample + 3] += shift;
      return this;
    }

    /** {@code (x - mean_C(x)) * factor + mean_C(x)}. */
    public Builder saturation(int sample, double factor) {
      int o = 4 * sample;
      double a = color[o];
      // mean_C of (a x + b mC + c mI + d) is (a + b) mC + c mI + d
      color[o + 1] = factor * color[o + 1] + (1 - factor) * (a + color[o + 1]);
      color[o] = factor * a;
      return this;
    }

    /** {@code (x - mean_HWC(x)) * factor + mean_HWC(x)}. */
    public Builder contrast(int sample, double factor) {
      int o = 4 * sample;
      // mean_HWC of (a x + b mC + c mI + d) is (a + b + c) mI + d
      double sum = color[o] + color[o + 1] + color[o + 2];
      color[o] = factor * color[o];
      color[o + 1] = factor * color[o + 1];
      color[o + 2] = factor * color[o + 2] + (1 - factor) * sum;
      return this;
    }

    /** Output pixel (row, col) = input (row + dy, col + dx), 0 where that is outside. */
    public Builder crop(int sample, int dy, int dx) {
      return spatial(sample, new double[] {1, 0, dx, 0, 1, dy});
    }

    /** Left-right flip: output column x = input column W - 1 - x. */
    public Builder flip(int sample) {
      return spatial(sample, new double[] {-1, 0, width - 1, 0, 1, 0});
    }

    /**
     * Zeroes rows [row0, row1) x columns [col0, col1), clipped to the image.
     */
    public Builder cutout(int sample, int row0, int row1, int col0, int col1) {
      markSpatial(sample);
      int o = 4 * sample;
      cutout[o] = Math.max(0, row0);
      cutout[o + 1] = Math.min(height, Math.max(row1, row0));
      cutout[o + 2] = Math.max(0, col0);
      cutout[o + 3] = Math.min(width, Math.max(col1, col0));
      return this;
    }

    /**
     * DSA's scale: PyTorch theta {@code [[sx, 0, 0], [0, sy, 0]]}; factors above 1 sample a
     * wider region (the content shrinks).
     */
    public Builder scale(int sample, double sx, double sy, AlignCorners align) {
      return spatial(sample, pixelAffine(new double[] {sx, 0, 0, 0, sy, 0}, height, width,
          align));
    }

    /**
     * DSA's rotate: PyTorch theta {@code [[cos t, -sin t, 0], [sin t, cos t, 0]]}.
     *
     * @param degrees the angle t in degrees
     */
    public Builder rotate(int sample, double degrees, AlignCorners align) {
      double t = Math.toRadians(degrees);
      double c = Math.cos(t);
      double s = Math.sin(t);
      return spatial(sample, pixelAffine(new double[] {c, -s, 0, s, c, 0}, height, width,
          align));
    }

    private Builder spatial(int sample, double[] map) {
      markSpatial(sample);
      System.arraycopy(map, 0, affine, 6 * sample, 6);
      return this;
    }

    private void markSpatial(int sample) {
      checkArgument(sample >= 0 && sample < batch, "sample %s out of [0, %s)", sample, batch);
      checkState(!spatialSet[sample], "sample %s already has a spatial op", sample);
      spatialSet[sample] = true;
    }

    public DsaParams build() {
      checkState(!built, "build() may be called once");
      built = true;
      return new DsaParams(group, batch, height, width, color, affine, cutout);
    }
  }
}
