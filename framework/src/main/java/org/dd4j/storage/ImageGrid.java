package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.dd4j.data.Preprocessing;
import org.dd4j.models.InputShape;
import org.dd4j.synthetic.SyntheticSet;

/**
 * A PNG contact sheet of a synthetic set: one block of rows per class, in class order, the
 * class's images left to right in set order.
 *
 * <p>A class with ipc &lt;= {@value #MAX_COLUMNS} takes one row of ipc cells. With more
 * images per class, each class wraps onto {@code ceil(ipc / 10)} rows of {@value
 * #MAX_COLUMNS} cells (the last row of a class may be partly empty); nothing is dropped.
 * {@link Layout#rowsPerClass()} says how many rows each class got.
 *
 * <p>Pixels: each image is mapped back to [0, 1] with {@link Preprocessing#invert} (or taken
 * as already in [0, 1]), clipped to [0, 1] (NaN becomes 0), scaled to 0..255 with rounding,
 * and upscaled by an integer factor with nearest neighbour. One channel gives a greyscale PNG,
 * three an RGB PNG. Cells are separated by {@value #GAP} px of mid grey ({@value #GAP_LEVEL}).
 */
public final class ImageGrid {

  /** Cells per grid row; a class with more images wraps onto further rows. */
  public static final int MAX_COLUMNS = 10;

  /** Pixels between neighbouring cells (none around the border). */
  public static final int GAP = 2;

  /** Grey level 0..255 of the gaps and of unused cells. */
  public static final int GAP_LEVEL = 128;

  /** Smallest cell side {@link #autoScale} aims for, in pixels. */
  public static final int MIN_CELL = 64;

  /**
   * Where things are in a written grid.
   *
   * @param width PNG width in pixels
   * @param height PNG height in pixels
   * @param columns cells per row, min(ipc, {@value #MAX_COLUMNS})
   * @param rowsPerClass grid rows per class, ceil(ipc / columns)
   * @param cellWidth W * scale
   * @param cellHeight H * scale
   */
  public record Layout(int width, int height, int columns, int rowsPerClass, int cellWidth,
      int cellHeight) {

    /** Top-left pixel (x, y) of image {@code k} of class {@code c}. */
    public int[] cellOrigin(int c, int k) {
      int row = c * rowsPerClass + k / columns;
      int col = k % columns;
      return new int[] {col * (cellWidth + GAP), row * (cellHeight + GAP)};
    }
  }

  private ImageGrid() {}

  /** The smallest integer factor that makes each cell at least {@value #MIN_CELL} px a side. */
  public static int autoScale(InputShape shape) {
    checkNotNull(shape, "shape");
    int side = Math.min(shape.height(), shape.width());
    return Math.max(1, (MIN_CELL + side - 1) / side);
  }

  /**
   * The grid's geometry for {@code set} at {@code scale}, without drawing it.
   *
   * @throws IllegalArgumentException if scale &lt; 1 or the PNG would exceed 2^31 pixels
   */
  public static Layout layout(SyntheticSet set, int scale) {
    checkNotNull(set, "set");
    checkArgument(scale >= 1, "scale must be >= 1, got %s", scale);
    int columns = Math.min(set.ipc(), MAX_COLUMNS);
    int rowsPerClass = (set.ipc() + columns - 1) / columns;
    long cellW = (long) set.shape().width() * scale;
    long cellH = (long) set.shape().height() * scale;
    long rows = (long) set.numClasses() * rowsPerClass;
    long width = columns * cellW + (columns - 1) * GAP;
    long height = rows * cellH + (rows - 1) * GAP;
    checkArgument(width * height < Integer.MAX_VALUE, "grid of %sx%s px is too large;"
        + " use a smaller scale", width, height);
    return new Layout((int) width, (int) height, columns, rowsPerClass, (int) cellW,
        (int) cellH);
  }

  /**
   * Draws {@code set} as a PNG at {@code png}, atomically (temporary file, rename).
   *
   * @param png destination; its directory must exist; replaced if present
   * @param set the synthetic set; images [n, H, W, C_img] float32 in preprocessed space,
   *     C_img 1 (greyscale) or 3 (RGB)
   * @param inverse the data's preprocessing, whose {@link Preprocessing#invert} maps the images
   *     back to [0, 1] (e.g. de-whitening ZCA); null if the images are already in [0, 1]
   * @param scale integer upscaling factor >= 1 (see {@link #autoScale})
   * @return where each cell was drawn
   * @throws IllegalArgumentException if C_img is not 1 or 3, scale &lt; 1, or {@code inverse}
   *     returns the wrong number of values
   * @throws UncheckedIOException if the PNG cannot be written
   */
  public static Layout write(Path png, SyntheticSet set, Preprocessing inverse, int scale) {
    checkNotNull(png, "png");
    BufferedImage image = render(set, inverse, scale);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      checkArgument(Files.isDirectory(png.toAbsolutePath().getParent()),
          "directory of %s must exist", png);
      if (!ImageIO.write(image, "png", bytes)) {
        throw new IOException("no PNG writer available in javax.imageio");
      }
      AtomicFiles.write(png, bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write image grid " + png, e);
    }
    return layout(set, scale);
  }

  /**
   * The grid as an image ({@link BufferedImage#TYPE_BYTE_GRAY} for one channel, {@link
   * BufferedImage#TYPE_INT_RGB} for three), as {@link #write} would save it.
   */
  public static BufferedImage render(SyntheticSet set, Preprocessing inverse, int scale) {
    Layout g = layout(set, scale);
    InputShape s = set.shape();
    int ch = s.channels();
    checkArgument(ch == 1 || ch == 3, "image grid needs 1 or 3 channels, got %s", ch);
    float[] pixels = set.images();
    if (inverse != null) {
      pixels = inverse.invert(pixels);
      checkArgument(pixels.length == set.images().length, "%s.invert returned %s values for"
          + " %s", inverse.name(), pixels.length, set.images().length);
    }
    BufferedImage img = new BufferedImage(g.width(), g.height(),
        ch == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    // Write samples through the raster: setRGB on a grey image would apply a colour
    // conversion and change the levels.
    WritableRaster raster = img.getRaster();
    int bands = raster.getNumBands(); // 1 or 3 (R, G, B)
    for (int y = 0; y < g.height(); y++) {
      for (int x = 0; x < g.width(); x++) {
        for (int b = 0; b < bands; b++) {
          raster.setSample(x, y, b, GAP_LEVEL);
        }
      }
    }
    int size = s.size();
    for (int i = 0; i < set.count(); i++) {
      int[] o = g.cellOrigin(i / set.ipc(), i % set.ipc());
      for (int h = 0; h < s.height(); h++) {
        for (int w = 0; w < s.width(); w++) {
          int base = i * size + (h * s.width() + w) * ch; // NHWC
          for (int b = 0; b < ch; b++) {
            int level = toByte(pixels[base + b]);
            for (int dy = 0; dy < scale; dy++) {
              for (int dx = 0; dx < scale; dx++) {
                raster.setSample(o[0] + w * scale + dx, o[1] + h * scale + dy, b, level);
              }
            }
          }
        }
      }
    }
    return img;
  }

  /** [0, 1] to 0..255: clipped, NaN as 0, rounded to nearest. */
  static int toByte(float v) {
    if (!(v > 0)) { // also NaN
      return 0;
    }
    if (v >= 1) {
      return 255;
    }
    return Math.round(v * 255f);
  }
}
