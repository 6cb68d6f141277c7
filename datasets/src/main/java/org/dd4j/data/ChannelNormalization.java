package org.dd4j.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-channel standardization: {@code (x - mean[c]) / std[c]}, either with the reference
 * code's fixed constants for a known dataset ({@link #reference}, kind
 * {@value #REFERENCE}) or with mean and (population) standard deviation over all pixels of
 * all images of the fitting set ({@link #fit}, kind {@value #FITTED}). The kind is the
 * {@link #name()} recorded in metadata, so data normalized one way is not mixed with the
 * other (buffers written before the distinction recorded fitted constants as
 * {@code "normalize"}).
 */
public final class ChannelNormalization implements Preprocessing {

  /** The name of normalization with the reference code's constants. */
  public static final String REFERENCE = "normalize-reference";
  /** The name of normalization with constants fitted on the training split. */
  public static final String FITTED = "normalize-fitted";

  private final String name;
  private final float[] mean;
  private final float[] std;
  private final String source; // null unless reference constants

  private ChannelNormalization(String name, float[] mean, float[] std, String source) {
    checkArgument(mean.length == std.length && mean.length > 0,
        "mean has %s channels but std has %s", mean.length, std.length);
    for (float s : std) {
      checkArgument(s > 0, "std must be > 0, got %s", Arrays.toString(std));
    }
    this.name = name;
    this.mean = mean.clone();
    this.std = std.clone();
    this.source = source;
  }

  /** Given per-channel constants, recorded as fitted ones (name {@value #FITTED}). */
  public static ChannelNormalization of(float[] mean, float[] std) {
    return new ChannelNormalization(FITTED, mean, std, null);
  }

  /**
   * The reference code's constants for {@code dataset} (name {@value #REFERENCE}).
   *
   * @throws IllegalArgumentException if {@link ReferenceNormalization} has none for it, or
   *     they have another number of channels than {@code train}
   */
  public static ChannelNormalization reference(String dataset, ImageSet train) {
    ReferenceNormalization r = ReferenceNormalization.forDataset(dataset).orElseThrow(
        () -> new IllegalArgumentException(String.format("no reference normalization "
            + "constants for dataset '%s' (known: cifar10, cifar10-jpeg, cifar100, mnist, "
            + "fashion-mnist); use %s", dataset, FITTED)));
    checkArgument(r.mean().length == train.channels(), "reference constants of %s have %s "
        + "channels, the images %s", dataset, r.mean().length, train.channels());
    return new ChannelNormalization(REFERENCE, r.mean(), r.std(), r.source());
  }

  /**
   * Fits mean and standard deviation per channel on {@code train} (fit on the train split only,
   * then apply to both splits).
   *
   * @throws IllegalArgumentException if a channel is constant (std 0)
   */
  public static ChannelNormalization fit(ImageSet train) {
    int channels = train.channels();
    double[] sum = new double[channels];
    double[] sumSq = new double[channels];
    float[] x = train.images();
    for (int i = 0; i < x.length; i++) {
      sum[i % channels] += x[i];
    }
    long perChannel = x.length / channels;
    float[] mean = new float[channels];
    for (int c = 0; c < channels; c++) {
      mean[c] = (float) (sum[c] / perChannel);
    }
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - mean[i % channels];
      sumSq[i % channels] += d * d;
    }
    float[] std = new float[channels];
    for (int c = 0; c < channels; c++) {
      std[c] = (float) Math.sqrt(sumSq[c] / perChannel);
    }
    return new ChannelNormalization(FITTED, mean, std, null);
  }

  public float[] mean() {
    return mean.clone();
  }

  public float[] std() {
    return std.clone();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public float[] apply(float[] images) {
    checkLength(images);
    float[] out = new float[images.length];
    for (int i = 0; i < images.length; i++) {
      int c = i % mean.length;
      out[i] = (images[i] - mean[c]) / std[c];
    }
    return out;
  }

  @Override
  public float[] invert(float[] images) {
    checkLength(images);
    float[] out = new float[images.length];
    for (int i = 0; i < images.length; i++) {
      int c = i % mean.length;
      out[i] = images[i] * std[c] + mean[c];
    }
    return out;
  }

  private void checkLength(float[] images) {
    checkArgument(images.length % mean.length == 0,
        "%s floats are not whole pixels of %s channels", images.length, mean.length);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name());
    out.put("mean", toList(mean));
    out.put("std", toList(std));
    if (source != null) {
      out.put("source", source);
    }
    return out;
  }

  private static List<Float> toList(float[] values) {
    Float[] boxed = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return List.of(boxed);
  }
}
