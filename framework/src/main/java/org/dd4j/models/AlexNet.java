package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * AlexNet of the dataset-distillation evaluation pool: conv5-128 (padding 2; 4 for
 * single-channel inputs, so 28x28 behaves as 32x32), max-pool, conv5-192 (padding 2),
 * max-pool, conv3-256, conv3-192, conv3-192 (padding 1), max-pool, linear; every conv has a
 * bias and is followed by ReLU, with no norm layer by default ({@code norm} "batch" or
 * "instance" inserts one after each conv, as the reference code's AlexNetBN). Max-pools are
 * 2x2, stride 2. On 32x32x3 with 10 classes: linear from 192*4*4 = 3072, 1,872,202
 * parameters.
 *
 * <p>Parameters (PyTorch's names): {@code features.{0,3,6,8,10}.weight [k, k, in, out]} and
 * {@code .bias [out]}, norms {@code norm{i}.weight/.bias [out]} if any, then
 * {@code fc.weight [F, C]}, {@code fc.bias [C]}.
 *
 * <p>References: DC/MTT reference code, {@code networks.py} AlexNet (Zhao et al., ICLR
 * 2021; Cazenavette et al., CVPR 2022); spec section 1.
 */
public final class AlexNet extends LayeredModel {

  private static final int[] KERNELS = {5, 5, 3, 3, 3};
  private static final int[] CHANNELS = {128, 192, 256, 192, 192};
  private static final int[] TORCH_INDEX = {0, 3, 6, 8, 10};

  private final Norm norm;
  private final long featureDim;

  /**
   * @throws IllegalArgumentException if the input is too small for three 2x2 poolings
   */
  public AlexNet(ModelSpec spec) {
    super(spec, plan(spec));
    this.norm = Norm.of(spec.norm());
    this.featureDim = featureDim(spec.input());
  }

  private static int firstPad(InputShape in) {
    return in.channels() == 1 ? 4 : 2;
  }

  private static long featureDim(InputShape in) {
    int h = (in.height() + 2 * firstPad(in) - 4) / 2 / 2 / 2;
    int w = (in.width() + 2 * firstPad(in) - 4) / 2 / 2 / 2;
    checkArgument(h >= 1 && w >= 1, "input %s is too small for AlexNet", in);
    return 192L * h * w;
  }

  private static LayerPlan plan(ModelSpec spec) {
    Norm norm = Norm.of(spec.norm());
    LayerPlan plan = new LayerPlan();
    int in = spec.input().channels();
    for (int i = 0; i < KERNELS.length; i++) {
      plan.conv("features." + TORCH_INDEX[i], KERNELS[i], in, CHANNELS[i], true)
          .norm("norm" + i, norm, CHANNELS[i]);
      in = CHANNELS[i];
    }
    return plan.linear("fc", featureDim(spec.input()), spec.numClasses());
  }

  @Override
  <T extends TFloating> Operand<T> body(LayerPass<T> pass, Operand<T> images) {
    var tf = pass.tf();
    Operand<T> x = images; // [B, H, W, C]
    for (int i = 0; i < KERNELS.length; i++) {
      int pad = i == 0 ? firstPad(spec().input()) : KERNELS[i] / 2;
      x = tf.nn.relu(pass.norm(pass.conv(x, 1, pad, true), norm)); // [B, h, w, CHANNELS[i]]
      if (i == 0 || i == 1 || i == 4) {
        x = Layers.maxPool2(tf, x); // [B, h/2, w/2, CHANNELS[i]]
      }
    }
    return tf.reshape(x, tf.constant(new long[] {-1, featureDim})); // [B, 192*h*w]
  }
}
