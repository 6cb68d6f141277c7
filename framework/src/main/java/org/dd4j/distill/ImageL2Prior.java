package org.dd4j.distill;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * DeepInversion's L2 image prior R_l2 (Yin et al., CVPR 2020, R_prior's second term) as the
 * authors' code computes it (NVlabs/DeepInversion, deepinversion.py:
 * {@code torch.norm(inputs.view(bs, -1), dim=1).mean()}): the mean over the n synthetic
 * images of each image's L2 norm, {@code R = (1/n) sum_i ||X_i||_2}, X [n, H, W, C] in the
 * preprocessed space. Units: preprocessed pixel units (a norm, not squared). Pulls every
 * pixel towards 0, the data's mean after normalization.
 */
public final class ImageL2Prior implements Regularizer {

  /** Registry name. */
  public static final String NAME = "image-l2";

  @Override
  public <T extends TFloating> Operand<T> apply(Ops tf, RegularizerInputs<T> in) {
    Operand<T> x = in.images(); // [n, H, W, C]
    long n = x.shape().size(0);
    Operand<T> flat = tf.reshape(x, tf.constant(new long[] {n, -1})); // [n, HWC]
    Operand<T> norms = tf.math.sqrt(tf.reduceSum(tf.math.square(flat), tf.constant(1))); // [n]
    return tf.math.mean(norms, tf.constant(0));
  }

  @Override
  public String name() {
    return NAME;
  }
}
