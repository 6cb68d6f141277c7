package org.dd4j.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A set of labelled images held in one flat array.
 *
 * @param images pixels in NHWC order, shape [count, height, width, channels], float32; in [0,1]
 *     as read, or normalized / ZCA-whitened after preprocessing
 * @param labels class index per image, shape [count], each in [0, numClasses)
 * @param height image height in pixels
 * @param width image width in pixels
 * @param channels channels per pixel (1 for grey, 3 for RGB)
 * @throws IllegalArgumentException if the array lengths do not agree with the shape
 */
public record ImageSet(float[] images, int[] labels, int height, int width, int channels) {

  public ImageSet {
    checkNotNull(images, "images");
    checkNotNull(labels, "labels");
    checkArgument(height > 0 && width > 0 && channels > 0,
        "image shape must be positive, got %sx%sx%s", height, width, channels);
    checkArgument((long) labels.length * height * width * channels == images.length,
        "images has %s floats but %s labels x %sx%sx%s need %s",
        images.length, labels.length, height, width, channels,
        (long) labels.length * height * width * channels);
  }

  /** Number of images. */
  public int count() {
    return labels.length;
  }

  /** Floats per image: height * width * channels. */
  public int imageSize() {
    return height * width * channels;
  }

  /** A new set holding the images at {@code indices}, in that order (pixels copied). */
  public ImageSet select(int[] indices) {
    int size = imageSize();
    float[] out = new float[indices.length * size];
    int[] outLabels = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(images, indices[i] * size, out, i * size, size);
      outLabels[i] = labels[indices[i]];
    }
    return new ImageSet(out, outLabels, height, width, channels);
  }

  /** The same labels with other pixels of the same shape (e.g. after preprocessing). */
  public ImageSet withImages(float[] newImages) {
    return new ImageSet(newImages, labels, height, width, channels);
  }
}
