package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;

/** Shape of one input image, [height, width, channels] (NHWC without the batch). */
public record InputShape(int height, int width, int channels) {

  public InputShape {
    checkArgument(height > 0 && width > 0 && channels > 0,
        "input shape must be positive, got %sx%sx%s", height, width, channels);
  }

  public int size() {
    return height * width * channels;
  }

  @Override
  public String toString() {
    return height + "x" + width + "x" + channels;
  }
}
