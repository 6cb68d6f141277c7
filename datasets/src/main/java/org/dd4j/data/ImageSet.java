package org.dd4j.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A set of labelled images held in one flat array, so at most {@link #MAX_FLOATS} floats
 * (readers check with {@link #floats} before allocating).
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

  /**
   * The most floats one set holds: the longest Java array (2^31 - 1 less the few words some
   * JVMs reserve), about 43,000 images of 128x128x3. A larger dataset cannot load until
   * datasets can be streamed.
   */
  public static final long MAX_FLOATS = Integer.MAX_VALUE - 8;

  /**
   * The length of the array holding {@code count} images of {@code height x width x
   * channels}, checked before anything is allocated.
   *
   * @param dataset what the images are, for the message (a dataset name, a folder or files)
   * @throws DatasetException naming the dataset and its size when it needs more than
   *     {@link #MAX_FLOATS} floats
   */
  public static int floats(String dataset, long count, int height, int width, int channels) {
    long floats = count * height * width * channels;
    if (floats > MAX_FLOATS) {
      throw new DatasetException(String.format("%s: %,d images x %dx%dx%d = %,d floats exceed "
              + "the %,d that one Java float[] holds (dd4j keeps a dataset in memory as one "
              + "array); use fewer or smaller images", dataset, count, height, width,
          channels, floats, MAX_FLOATS));
    }
    return (int) floats;
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
