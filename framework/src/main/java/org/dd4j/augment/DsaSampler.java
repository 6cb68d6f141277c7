package org.dd4j.augment;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.SplittableRandom;

/**
 * Draws DSA's random choices in Java: per call one group of the strategy, uniformly, for
 * the whole batch, then each op's parameters per sample. The graph ({@link Dsa}) is built
 * once; a fresh draw is fed every run, so runs differ, a seed makes them reproducible, and
 * feeding one draw to two batches is DSA's siamese augmentation.
 *
 * <p>Order of draws from {@code rng}: the group index ({@code nextInt(groups)}), then for
 * each op of the group in order, its first parameter for samples 0..B-1, then its second
 * (crop: row shift then column shift; cutout: centre row then centre column; scale: sx then
 * sy). Per sample (U = {@code nextDouble()}):
 * brightness shift (U - 0.5) * brightness; saturation factor U * saturation; contrast factor
 * U + contrast; crop shifts uniform integers in [-round(ratio H), round(ratio H)] (rows) and
 * [-round(ratio W), round(ratio W)] (columns); cutout of side s = round(ratio H) with centre
 * row uniform in [0, H + (1 - s mod 2)), the square rows [centre - s/2, centre - s/2 + s)
 * clipped to the image (likewise columns); flip when U &lt; flipProbability; scale factors
 * U (r - 1/r) + 1/r; rotation (U - 0.5) * 2 * rotateDegrees degrees. These are the DSA
 * code's ranges ({@code rand_crop}, {@code rand_cutout}, ...).
 *
 * <p>References: Zhao &amp; Bilen, ICML 2021 (DSA); MTT (Cazenavette et al., CVPR 2022) uses
 * DSA with independent draws per call in the buffer, in distillation and in evaluation.
 */
public final class DsaSampler {

  private final DsaConfig config;

  public DsaSampler(DsaConfig config) {
    this.config = config;
  }

  public DsaConfig config() {
    return config;
  }

  /**
   * One call's draw.
   *
   * @param rng advanced by the draws; seed it for reproducible runs
   * @param batch B, the number of images the draw will be fed with
   * @param height image height H in pixels
   * @param width image width W in pixels
   */
  public DsaParams draw(SplittableRandom rng, int batch, int height, int width) {
    checkArgument(batch > 0 && height > 0 && width > 0, "batch, height and width must be > 0,"
        + " got %s, %s, %s", batch, height, width);
    DsaGroup group = config.groups().get(rng.nextInt(config.groups().size()));
    DsaParams.Builder b = DsaParams.builder(group.name(), batch, height, width);
    for (DsaOp op : group.ops()) {
      switch (op) {
        case BRIGHTNESS -> {
          for (int i = 0; i < batch; i++) {
            b.brightness(i, (rng.nextDouble() - 0.5) * config.brightness());
          }
        }
        case SATURATION -> {
          for (int i = 0; i < batch; i++) {
            b.saturation(i, rng.nextDouble() * config.saturation());
          }
        }
        case CONTRAST -> {
          for (int i = 0; i < batch; i++) {
            b.contrast(i, rng.nextDouble() + config.contrast());
          }
        }
        case CROP -> drawCrop(rng, b, batch, height, width);
        case CUTOUT -> drawCutout(rng, b, batch, height, width);
        case FLIP -> {
          for (int i = 0; i < batch; i++) {
            if (rng.nextDouble() < config.flipProbability()) {
              b.flip(i);
            }
          }
        }
        case SCALE -> {
          double r = config.scaleRatio();
          double[] sx = new double[batch];
          for (int i = 0; i < batch; i++) {
            sx[i] = rng.nextDouble() * (r - 1 / r) + 1 / r;
          }
          for (int i = 0; i < batch; i++) {
            b.scale(i, sx[i], rng.nextDouble() * (r - 1 / r) + 1 / r, config.alignCorners());
          }
        }
        case ROTATE -> {
          for (int i = 0; i < batch; i++) {
            b.rotate(i, (rng.nextDouble() - 0.5) * 2 * config.rotateDegrees(),
                config.alignCorners());
          }
        }
      }
    }
    return b.build();
  }

  private void drawCrop(SplittableRandom rng, DsaParams.Builder b, int batch, int height,
      int width) {
    int shiftY = DsaConfig.roundHalfUp(height, config.cropRatio());
    int shiftX = DsaConfig.roundHalfUp(width, config.cropRatio());
    int[] dy = new int[batch];
    for (int i = 0; i < batch; i++) {
      dy[i] = rng.nextInt(2 * shiftY + 1) - shiftY;
    }
    for (int i = 0; i < batch; i++) {
      b.crop(i, dy[i], rng.nextInt(2 * shiftX + 1) - shiftX);
    }
  }

  private void drawCutout(SplittableRandom rng, DsaParams.Builder b, int batch, int height,
      int width) {
    int sizeY = DsaConfig.roundHalfUp(height, config.cutoutRatio());
    int sizeX = DsaConfig.roundHalfUp(width, config.cutoutRatio());
    int[] cy = new int[batch];
    for (int i = 0; i < batch; i++) {
      cy[i] = rng.nextInt(height + 1 - sizeY % 2);
    }
    for (int i = 0; i < batch; i++) {
      int cx = rng.nextInt(width + 1 - sizeX % 2);
      int row0 = cy[i] - sizeY / 2;
      int col0 = cx - sizeX / 2;
      b.cutout(i, row0, row0 + sizeY, col0, col0 + sizeX);
    }
  }
}
