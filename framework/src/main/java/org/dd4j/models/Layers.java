package org.dd4j.models;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The layer functions the networks are built from, as PyTorch computes them. All tensors
 * are NHWC; parameters are operands. Everything except {@link #fusedInstanceNorm} and
 * {@link #maxPool2} can be differentiated twice (with {@code SecondOrderGradients}
 * registered); TensorFlow has no gradient of MaxPoolGradV2, so max-pooling networks
 * (AlexNet, VGG11) train with first-order gradients only, as evaluation needs.
 */
final class Layers {

  /** Epsilon of every norm layer (PyTorch's default). */
  static final double NORM_EPS = 1e-5;

  private Layers() {}

  /**
   * PyTorch's {@code Conv2d(padding=pad, stride=stride)}: symmetric zero padding, then a
   * VALID convolution (TensorFlow's SAME pads asymmetrically at stride 2).
   *
   * @param x shape [B, H, W, Cin]
   * @param kernel shape [k, k, Cin, Cout], k = {@code kernelSize}
   * @return shape [B, (H + 2 pad - k) / stride + 1, ..., Cout]
   */
  static <T extends TFloating> Operand<T> conv2d(Ops tf, Operand<T> x, Operand<T> kernel,
      int kernelSize, int stride, int pad) {
    if (stride == 1 && 2 * pad == kernelSize - 1) { // SAME is symmetric here: no Pad op
      return tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
    }
    Operand<T> padded = pad(tf, x, pad);
    return tf.nn.conv2d(padded, kernel, List.of(1L, (long) stride, (long) stride, 1L), "VALID");
  }

  /** Zero padding of {@code pad} pixels on each side of H and W; [B, H+2p, W+2p, C]. */
  static <T extends TFloating> Operand<T> pad(Ops tf, Operand<T> x, int pad) {
    if (pad == 0) {
      return x;
    }
    return tf.pad(x, tf.constant(new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}}),
        tf.constant(x.type(), 0));
  }

  /** {@code k x k} average pooling with stride k, floor mode; [B, H/k, W/k, C]. */
  static <T extends TFloating> Operand<T> avgPool(Ops tf, Operand<T> x, int k) {
    List<Long> window = List.of(1L, (long) k, (long) k, 1L);
    return tf.nn.avgPool(x, window, window, "VALID");
  }

  /** 2x2 max pooling with stride 2, floor mode; [B, H/2, W/2, C]. */
  static <T extends TFloating> Operand<T> maxPool2(Ops tf, Operand<T> x) {
    return tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}),
        tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }

  /**
   * GroupNorm with one group per channel: statistics over H and W of each sample (biased
   * variance, as PyTorch).
   *
   * @param x shape [B, H, W, C]; gamma, beta shape [C]
   */
  static <T extends TFloating> Operand<T> instanceNorm(Ops tf, Operand<T> x, Operand<T> gamma,
      Operand<T> beta) {
    Operand<TInt32> hw = tf.constant(new int[] {1, 2});
    Mean.Options keep = Mean.keepDims(true);
    Operand<T> mean = tf.math.mean(x, hw, keep); // [B, 1, 1, C]
    Operand<T> centered = tf.math.sub(x, mean);
    Operand<T> var = tf.math.mean(tf.math.square(centered), hw, keep); // biased, as PyTorch
    Operand<T> inv = tf.math.rsqrt(tf.math.add(var, tf.constant(x.type(), NORM_EPS)));
    // scale the small [B, 1, 1, C] factor, not the full tensor: one full-size multiply
    // forward and backward instead of two
    Operand<T> scale = tf.math.mul(inv, gamma); // [B, 1, 1, C]
    return tf.math.add(tf.math.mul(centered, scale), beta);
  }

  /**
   * Instance norm with TensorFlow's fused batch norm, which normalizes each channel over
   * N, H, W: {@code [B, h, w, C]} is viewed as one sample of B*C channels
   * ({@code [1, h, w, B*C]}, after moving B next to C). float32 only; its gradient has no
   * gradient of its own. Measured on ConvNet-3 w128, batch 256, 2 threads: a training step
   * took about 930 ms against 1150-1550 ms for {@link #instanceNorm}, with the same loss and
   * gradients to float32 rounding.
   */
  @SuppressWarnings("unchecked")
  static <T extends TFloating> Operand<T> fusedInstanceNorm(Ops tf, Operand<T> x,
      Operand<T> gamma, Operand<T> beta) {
    Operand<TFloat32> xf = (Operand<TFloat32>) x;
    Operand<TInt32> zero = tf.constant(0);
    Operand<TFloat32> t = tf.linalg.transpose(xf, tf.constant(new int[] {1, 2, 0, 3}));
    Operand<TInt32> hwbc = tf.shape(t); // [h, w, B, C]
    Operand<TFloat32> one = tf.reshape(t, tf.stack(List.of(tf.constant(1),
        tf.gather(hwbc, zero, zero), tf.gather(hwbc, tf.constant(1), zero),
        tf.constant(-1)))); // [1, h, w, B*C]
    Operand<TInt32> batch = tf.reshape(tf.gather(hwbc, tf.constant(2), zero),
        tf.constant(new int[] {1}));
    Operand<TFloat32> empty = tf.constant(new float[0]);
    Operand<TFloat32> y = tf.nn.fusedBatchNorm(one,
        tf.tile((Operand<TFloat32>) gamma, batch), tf.tile((Operand<TFloat32>) beta, batch),
        empty, empty, FusedBatchNorm.epsilon((float) NORM_EPS),
        FusedBatchNorm.isTraining(true)).y();
    Operand<TFloat32> back = tf.reshape(y, hwbc); // [h, w, B, C]
    return (Operand<T>) tf.linalg.transpose(back, tf.constant(new int[] {2, 0, 1, 3}));
  }

  /**
   * Training-mode batch norm (PyTorch's {@code BatchNorm2d.train()}): each channel is
   * normalized with the mean and biased variance of the batch over B, H, W.
   *
   * @param x shape [B, H, W, C]; gamma, beta shape [C]
   * @return the normalized tensor [B, H, W, C], the batch mean [C] and the unbiased batch
   *     variance [C] (n / (n - 1) times the biased one, n = B*H*W), which PyTorch's running
   *     variance moves toward
   */
  static <T extends TFloating> BatchNormOutput<T> batchNormTraining(Ops tf, Operand<T> x,
      Operand<T> gamma, Operand<T> beta) {
    Operand<TInt32> bhw = tf.constant(new int[] {0, 1, 2});
    Operand<T> mean = tf.math.mean(x, bhw); // [C]
    Operand<T> centered = tf.math.sub(x, mean);
    Operand<T> var = tf.math.mean(tf.math.square(centered), bhw); // [C], biased
    Operand<T> inv = tf.math.rsqrt(tf.math.add(var, tf.constant(x.type(), NORM_EPS)));
    Operand<T> y = tf.math.add(tf.math.mul(centered, tf.math.mul(inv, gamma)), beta);
    Operand<T> n = tf.dtypes.cast(tf.math.div(tf.size(x), tf.size(mean)), x.type()); // B*H*W
    Operand<T> unbiased = tf.math.mul(var, tf.math.div(n,
        tf.math.sub(n, tf.constant(x.type(), 1))));
    // statistics for the running averages only: no gradient flows through them
    return new BatchNormOutput<>(y, tf.stopGradient(mean), tf.stopGradient(unbiased));
  }

  /** Normalized output and the batch statistics of {@link #batchNormTraining}. */
  record BatchNormOutput<T extends TFloating>(Operand<T> y, Operand<T> mean,
      Operand<T> unbiasedVar) {}

  /**
   * Inference-mode batch norm (PyTorch's {@code BatchNorm2d.eval()}):
   * {@code (x - runningMean) / sqrt(runningVar + eps) * gamma + beta}.
   *
   * @param x shape [B, H, W, C]; all others shape [C]
   */
  static <T extends TFloating> Operand<T> batchNormInference(Ops tf, Operand<T> x,
      Operand<T> gamma, Operand<T> beta, Operand<T> runningMean, Operand<T> runningVar) {
    Operand<T> inv = tf.math.rsqrt(tf.math.add(runningVar, tf.constant(x.type(), NORM_EPS)));
    Operand<T> scale = tf.math.mul(inv, gamma); // [C]
    Operand<T> shift = tf.math.sub(beta, tf.math.mul(runningMean, scale)); // [C]
    return tf.math.add(tf.math.mul(x, scale), shift);
  }
}
