package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keeps the synthetic pixels within the data's preprocessed range ({@link PixelRange}: per
 * channel c the training images' [low_c, high_c]): the mean over the n H W C values of the
 * squared distance outside it,
 * {@code R = mean(relu(X - high_c)^2 + relu(low_c - X)^2)}, X [n, H, W, C]. Units:
 * preprocessed pixel units squared; 0 for a set inside the range. A soft, differentiable form
 * of the clip to the valid range that DeepInversion applies after each update (Yin et al.,
 * CVPR 2020; the authors' code's {@code clip}), which trajectory matching does not do.
 */
public final class PixelRangePenalty implements Regularizer {

  /** Registry name. */
  public static final String NAME = "pixel-range";

  @Override
  public <T extends TFloating> Operand<T> apply(Ops tf, RegularizerInputs<T> in) {
    PixelRange range = in.range();
    Operand<T> x = in.images(); // [n, H, W, C]
    long channels = x.shape().size(3);
    checkArgument(range.known(), "regularizer '%s' needs the data's pixel range, which this"
        + " distiller was not given (Distiller(model, config, options, PixelRange.of(data)))",
        NAME);
    checkArgument(range.channels() == channels, "regularizer '%s': the pixel range has %s"
        + " channels, the images %s", NAME, range.channels(), channels);
    Operand<T> low = tf.dtypes.cast(tf.constant(range.low()), x.type()); // [C]
    Operand<T> high = tf.dtypes.cast(tf.constant(range.high()), x.type()); // [C]
    Operand<T> above = tf.nn.relu(tf.math.sub(x, high));
    Operand<T> below = tf.nn.relu(tf.math.sub(low, x));
    Operand<T> sq = tf.math.add(tf.math.square(above), tf.math.square(below));
    return tf.math.mean(sq, tf.constant(new int[] {0, 1, 2, 3}));
  }

  @Override
  public String name() {
    return NAME;
  }
}
