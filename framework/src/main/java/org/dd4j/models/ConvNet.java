package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * ConvNet-D, the standard network of dataset distillation: D blocks of
 * conv 3x3 (padding 1, with bias) -> norm -> ReLU -> pool 2x2 stride 2, then a linear layer
 * to the classes. The default norm is instance norm (per sample and channel, affine, eps
 * 1e-5; = GroupNorm(W, W)) and the default pooling average; the variants of the reference
 * code take batch norm or none ({@code ConvNetBN}, {@code ConvNetNN}) and max pooling
 * ({@code ConvNetMP}). For single-channel inputs the first conv pads by 3 (so 28x28 behaves
 * as 32x32). ConvNet-3 on 32x32x3 with 10 classes has 320,010 parameters.
 *
 * <p>Parameters: {@code conv{d}.weight [3, 3, in, W]}, {@code conv{d}.bias [W]},
 * {@code norm{d}.weight [W]}, {@code norm{d}.bias [W]} (absent without norm) for each block
 * d, then {@code fc.weight [F, C]} and {@code fc.bias [C]}, F = W * h * w after the last pool
 * (features flattened in H, W, C order). Batch norm adds the state
 * {@code norm{d}.running_mean [W]} and {@code norm{d}.running_var [W]}.
 *
 * <p>References: Gidaris &amp; Komodakis 2018; as used by MTT (Cazenavette et al. 2022),
 * FTD and AST; spec section 1.
 */
public final class ConvNet extends LayeredModel {

  private final Norm norm;
  private final boolean maxPool;
  private final int firstPad; // extra zero padding before the first conv (2 for 1-channel)
  private final long featureDim;

  /**
   * @throws IllegalArgumentException if the spec is not a ConvNet with norm instance, batch
   *     or none and pooling avg or max, or the image is too small for {@code depth} poolings
   */
  public ConvNet(ModelSpec spec) {
    super(spec, plan(spec));
    this.norm = Norm.of(spec.norm());
    this.maxPool = spec.pooling().equals("max");
    this.firstPad = spec.input().channels() == 1 ? 2 : 0;
    this.featureDim = featureDim(spec);
  }

  private static LayerPlan plan(ModelSpec spec) {
    checkArgument(spec.name().equals("convnet"), "ConvNet needs name 'convnet', got %s",
        spec.name());
    checkArgument(spec.depth() >= 1, "ConvNet depth must be >= 1, got %s", spec.depth());
    checkArgument(spec.width() >= 1, "ConvNet width must be >= 1, got %s", spec.width());
    checkArgument(spec.pooling().equals("avg") || spec.pooling().equals("max"),
        "ConvNet pooling must be avg or max, got %s", spec.pooling());
    Norm norm = Norm.of(spec.norm());
    LayerPlan plan = new LayerPlan();
    int channels = spec.input().channels();
    for (int d = 0; d < spec.depth(); d++) {
      plan.conv("conv" + d, 3, channels, spec.width(), true).norm("norm" + d, norm,
          spec.width());
      channels = spec.width();
    }
    return plan.linear("fc", featureDim(spec), spec.numClasses());
  }

  private static long featureDim(ModelSpec spec) {
    InputShape in = spec.input();
    int pad = in.channels() == 1 ? 2 : 0;
    int h = in.height() + 2 * pad;
    int w = in.width() + 2 * pad;
    for (int d = 0; d < spec.depth(); d++) {
      h /= 2;
      w /= 2;
    }
    checkArgument(h >= 1 && w >= 1, "input %s is too small for depth %s", in, spec.depth());
    return (long) spec.width() * h * w;
  }

  /** F, the length of the penultimate feature vector. */
  public long featureDim() {
    return featureDim;
  }

  @Override
  <T extends TFloating> Operand<T> body(LayerPass<T> pass, Operand<T> images) {
    var tf = pass.tf();
    Operand<T> x = images; // [B, H, W, C]
    for (int d = 0; d < spec().depth(); d++) {
      x = pass.conv(x, 1, d == 0 ? 1 + firstPad : 1, true); // [B, h, w, W]
      x = tf.nn.relu(pass.norm(x, norm));
      x = maxPool ? Layers.maxPool2(tf, x) : Layers.avgPool(tf, x, 2); // [B, h/2, w/2, W]
    }
    return tf.reshape(x, tf.constant(new long[] {-1, featureDim})); // [B, F]
  }
}
