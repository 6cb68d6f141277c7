package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * VGG11 of the dataset-distillation evaluation pool: the configuration
 * 64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M where a number is conv 3x3
 * (padding 1, 3 for the first conv of a single-channel input; with bias) -> norm -> ReLU and
 * M a 2x2 max-pool with stride 2, then a linear layer. Norm is instance norm (GroupNorm(C,
 * C), "vgg11") or batch norm ("vgg11-bn", the reference code's VGG11BN). On 32x32x3 with 10
 * classes: linear from 512, 9,231,114 parameters.
 *
 * <p>Parameters (PyTorch's names): {@code features.{i}.weight [3, 3, in, out]},
 * {@code features.{i}.bias [out]}, {@code features.{i+1}.weight/.bias [out]} (norm) per
 * conv, i its index in the reference's {@code nn.Sequential}, then
 * {@code classifier.weight [F, C]}, {@code classifier.bias [C]}.
 *
 * <p>References: Simonyan &amp; Zisserman 2015; DC/MTT reference code, {@code networks.py}
 * VGG (Zhao et al., ICLR 2021); spec section 1.
 */
public final class Vgg11 extends LayeredModel {

  /** Channels per conv; 0 marks a max-pool. */
  private static final int[] CFG = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};

  private final Norm norm;
  private final long featureDim;

  /**
   * @throws IllegalArgumentException if the norm is not instance or batch, or the input is
   *     too small for five 2x2 poolings
   */
  public Vgg11(ModelSpec spec) {
    super(spec, plan(spec));
    this.norm = Norm.of(spec.norm());
    this.featureDim = featureDim(spec.input());
  }

  private static int firstPad(InputShape in) {
    return in.channels() == 1 ? 3 : 1;
  }

  private static long featureDim(InputShape in) {
    int pad = 2 * (firstPad(in) - 1);
    int h = (in.height() + pad) >> 5;
    int w = (in.width() + pad) >> 5;
    checkArgument(h >= 1 && w >= 1, "input %s is too small for VGG11's five poolings", in);
    return 512L * h * w;
  }

  private static LayerPlan plan(ModelSpec spec) {
    Norm norm = Norm.of(spec.norm());
    checkArgument(norm != Norm.NONE, "VGG11 needs norm instance or batch, got %s",
        spec.norm());
    LayerPlan plan = new LayerPlan();
    int in = spec.input().channels();
    int index = 0; // index in the reference's nn.Sequential: conv, norm, ReLU or a max-pool
    for (int c : CFG) {
      if (c == 0) {
        index += 1;
      } else {
        plan.conv("features." + index, 3, in, c, true).norm("features." + (index + 1), norm, c);
        in = c;
        index += 3;
      }
    }
    return plan.linear("classifier", featureDim(spec.input()), spec.numClasses());
  }

  @Override
  <T extends TFloating> Operand<T> body(LayerPass<T> pass, Operand<T> images) {
    var tf = pass.tf();
    Operand<T> x = images; // [B, H, W, C]
    boolean first = true;
    for (int c : CFG) {
      if (c == 0) {
        x = Layers.maxPool2(tf, x); // [B, h/2, w/2, c]
      } else {
        int pad = first ? firstPad(spec().input()) : 1;
        x = tf.nn.relu(pass.norm(pass.conv(x, 1, pad, true), norm)); // [B, h, w, c]
        first = false;
      }
    }
    return tf.reshape(x, tf.constant(new long[] {-1, featureDim})); // [B, 512*h*w]
  }
}
