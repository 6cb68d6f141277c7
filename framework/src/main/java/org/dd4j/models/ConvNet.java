package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * ConvNet-D, the standard network of dataset distillation: D blocks of
 * conv 3x3 (padding 1, with bias) -> instance norm (per sample and channel, affine,
 * eps 1e-5; = GroupNorm(W, W)) -> ReLU -> avg-pool 2x2 stride 2, then a linear layer to the
 * classes. For single-channel inputs the first conv pads by 3 (so 28x28 behaves as 32x32).
 * ConvNet-3 on 32x32x3 with 10 classes has 320,010 parameters.
 *
 * <p>Parameters: {@code conv{d}.weight [3, 3, in, W]}, {@code conv{d}.bias [W]},
 * {@code norm{d}.weight [W]}, {@code norm{d}.bias [W]} for each block d, then
 * {@code fc.weight [F, C]} and {@code fc.bias [C]}, F = W * h * w after the last pool
 * (features flattened in H, W, C order).
 *
 * <p>References: Gidaris &amp; Komodakis 2018; as used by MTT (Cazenavette et al. 2022),
 * FTD and AST; spec section 1.
 */
public final class ConvNet implements Model {

  private static final double NORM_EPS = 1e-5;

  private final ModelSpec spec;
  private final ParamLayout layout;
  private final int firstPad; // extra zero padding before the first conv (2 for 1-channel)
  private final int featureHeight;
  private final int featureWidth;

  /**
   * @throws IllegalArgumentException if the spec is not a ConvNet with instance norm and
   *     average pooling, or the image is too small for {@code depth} poolings
   */
  public ConvNet(ModelSpec spec) {
    checkArgument(spec.name().equals("convnet"), "ConvNet needs name 'convnet', got %s",
        spec.name());
    checkArgument(spec.depth() >= 1, "ConvNet depth must be >= 1, got %s", spec.depth());
    checkArgument(spec.width() >= 1, "ConvNet width must be >= 1, got %s", spec.width());
    checkArgument(spec.norm().equals("instance"),
        "ConvNet supports norm 'instance' so far, got %s", spec.norm());
    checkArgument(spec.pooling().equals("avg"),
        "ConvNet supports pooling 'avg' so far, got %s", spec.pooling());
    this.spec = spec;
    InputShape in = spec.input();
    this.firstPad = in.channels() == 1 ? 2 : 0;
    int h = in.height() + 2 * firstPad;
    int w = in.width() + 2 * firstPad;
    for (int d = 0; d < spec.depth(); d++) {
      h /= 2;
      w /= 2;
    }
    checkArgument(h >= 1 && w >= 1, "input %s is too small for depth %s", in, spec.depth());
    this.featureHeight = h;
    this.featureWidth = w;
    List<ParamShape> params = new ArrayList<>();
    int channels = in.channels();
    int width = spec.width();
    for (int d = 0; d < spec.depth(); d++) {
      params.add(new ParamShape("conv" + d + ".weight", new long[] {3, 3, channels, width}));
      params.add(new ParamShape("conv" + d + ".bias", new long[] {width}));
      params.add(new ParamShape("norm" + d + ".weight", new long[] {width}));
      params.add(new ParamShape("norm" + d + ".bias", new long[] {width}));
      channels = width;
    }
    params.add(new ParamShape("fc.weight", new long[] {featureDim(), spec.numClasses()}));
    params.add(new ParamShape("fc.bias", new long[] {spec.numClasses()}));
    this.layout = new ParamLayout(params);
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public ParamLayout layout() {
    return layout;
  }

  /** F, the length of the penultimate feature vector. */
  public long featureDim() {
    return (long) spec.width() * featureHeight * featureWidth;
  }

  @Override
  public <T extends TFloating> Operand<T> features(Ops tf, Params<T> p, Operand<T> images) {
    return features(tf, p, images, false);
  }

  /**
   * @param fused instance norm through TensorFlow's FusedBatchNormV3 (float32 only; its
   *     gradient has no gradient of its own), else through elementary ops
   */
  private <T extends TFloating> Operand<T> features(Ops tf, Params<T> p, Operand<T> images,
      boolean fused) {
    Operand<T> x = images; // [B, H, W, C]
    if (firstPad > 0) {
      x = tf.pad(x, tf.constant(new int[][] {{0, 0}, {firstPad, firstPad},
          {firstPad, firstPad}, {0, 0}}), tf.constant(images.type(), 0));
    }
    for (int d = 0; d < spec.depth(); d++) {
      int k = 4 * d;
      x = tf.nn.conv2d(x, p.get(k), List.of(1L, 1L, 1L, 1L), "SAME"); // [B, h, w, W]
      x = tf.nn.biasAdd(x, p.get(k + 1));
      x = fused && x.type() == TFloat32.class
          ? fusedInstanceNorm(tf, x, p.get(k + 2), p.get(k + 3))
          : instanceNorm(tf, x, p.get(k + 2), p.get(k + 3));
      x = tf.nn.relu(x);
      x = tf.nn.avgPool(x, List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "VALID");
    }
    return tf.reshape(x, tf.constant(new long[] {-1, featureDim()})); // [B, F]
  }

  @Override
  public <T extends TFloating> Operand<T> forward(Ops tf, Params<T> p, Operand<T> images) {
    return classify(tf, p, features(tf, p, images, false));
  }

  @Override
  public <T extends TFloating> Operand<T> forwardFirstOrder(Ops tf, Params<T> p,
      Operand<T> images) {
    return classify(tf, p, features(tf, p, images, true));
  }

  private <T extends TFloating> Operand<T> classify(Ops tf, Params<T> p, Operand<T> f) {
    int k = 4 * spec.depth();
    return tf.math.add(tf.linalg.matMul(f, p.get(k)), p.get(k + 1)); // [B, C]
  }

  /**
   * Instance norm with TensorFlow's fused batch norm, which normalizes each channel over
   * N, H, W: {@code [B, h, w, W]} is viewed as one sample of B*W channels
   * ({@code [1, h, w, B*W]}, after moving B next to W). Measured on ConvNet-3 w128, batch 256,
   * 2 threads: a training step took about 930 ms against 1150-1550 ms for
   * {@link #instanceNorm}, with the same loss and gradients to float32 rounding.
   */
  @SuppressWarnings("unchecked")
  private static <T extends TFloating> Operand<T> fusedInstanceNorm(Ops tf, Operand<T> x,
      Operand<T> gamma, Operand<T> beta) {
    Operand<TFloat32> xf = (Operand<TFloat32>) x;
    Operand<TInt32> zero = tf.constant(0);
    Operand<TFloat32> t = tf.linalg.transpose(xf, tf.constant(new int[] {1, 2, 0, 3}));
    Operand<TInt32> hwbc = tf.shape(t); // [h, w, B, W]
    Operand<TFloat32> one = tf.reshape(t, tf.stack(List.of(tf.constant(1),
        tf.gather(hwbc, zero, zero), tf.gather(hwbc, tf.constant(1), zero),
        tf.constant(-1)))); // [1, h, w, B*W]
    Operand<TInt32> batch = tf.reshape(tf.gather(hwbc, tf.constant(2), zero),
        tf.constant(new int[] {1}));
    Operand<TFloat32> empty = tf.constant(new float[0]);
    Operand<TFloat32> y = tf.nn.fusedBatchNorm(one,
        tf.tile((Operand<TFloat32>) gamma, batch), tf.tile((Operand<TFloat32>) beta, batch),
        empty, empty, FusedBatchNorm.epsilon((float) NORM_EPS),
        FusedBatchNorm.isTraining(true)).y();
    Operand<TFloat32> back = tf.reshape(y, hwbc); // [h, w, B, W]
    return (Operand<T>) tf.linalg.transpose(back, tf.constant(new int[] {2, 0, 1, 3}));
  }

  /** GroupNorm with one group per channel: statistics over H and W of each sample. */
  private static <T extends TFloating> Operand<T> instanceNorm(Ops tf, Operand<T> x,
      Operand<T> gamma, Operand<T> beta) {
    Operand<org.tensorflow.types.TInt32> hw = tf.constant(new int[] {1, 2});
    var opt = org.tensorflow.op.math.Mean.keepDims(true);
    Operand<T> mean = tf.math.mean(x, hw, opt); // [B, 1, 1, W]
    Operand<T> centered = tf.math.sub(x, mean);
    Operand<T> var = tf.math.mean(tf.math.square(centered), hw, opt); // biased, as PyTorch
    Operand<T> inv = tf.math.rsqrt(tf.math.add(var, tf.constant(x.type(), NORM_EPS)));
    // scale the small [B, 1, 1, W] factor, not the full tensor: one full-size multiply
    // forward and backward instead of two
    Operand<T> scale = tf.math.mul(inv, gamma); // [B, 1, 1, W]
    return tf.math.add(tf.math.mul(centered, scale), beta);
  }

  @Override
  public float[] initialParams(long seed) {
    float[] w = new float[Math.toIntExact(layout.totalSize())];
    SplittableRandom rng = new SplittableRandom(seed);
    int channels = spec.input().channels();
    for (int d = 0; d < spec.depth(); d++) {
      int k = 4 * d;
      long fanIn = 9L * channels;
      TorchInit.uniformFanIn(w, layout.offset(k), layout.get(k).size(), fanIn, rng);
      TorchInit.uniformFanIn(w, layout.offset(k + 1), layout.get(k + 1).size(), fanIn, rng);
      TorchInit.fill(w, layout.offset(k + 2), layout.get(k + 2).size(), 1f);
      TorchInit.fill(w, layout.offset(k + 3), layout.get(k + 3).size(), 0f);
      channels = spec.width();
    }
    int k = 4 * spec.depth();
    TorchInit.uniformFanIn(w, layout.offset(k), layout.get(k).size(), featureDim(), rng);
    TorchInit.uniformFanIn(w, layout.offset(k + 1), layout.get(k + 1).size(), featureDim(), rng);
    return w;
  }
}
