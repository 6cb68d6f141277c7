package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * ResNet-18 of the dataset-distillation evaluation pool (the CIFAR variant): stem conv 3x3
 * stride 1 (64 channels) -> norm -> ReLU, no max-pool; four stages of two BasicBlocks with
 * 64, 128, 256, 512 channels, the first block of stages 2-4 downsampling by 2; then a
 * linear layer. A BasicBlock is conv 3x3 -> norm -> ReLU -> conv 3x3 -> norm, plus the
 * input (through conv 1x1 -> norm where the shape changes), -> ReLU. Convs have no bias.
 * Norm is instance norm (GroupNorm(C, C)) or batch norm ({@code norm} "batch": ResNet18BN).
 *
 * <p>Downsampling, chosen by {@code pooling}: "none" (ResNet18, ResNet18BN) strides the
 * block's first conv and the shortcut conv by 2 (padding 1 and 0) and ends with a 4x4
 * average pool, linear from 512 on 32x32; "avg" (ResNet18_AP, ResNet18BN_AP) keeps those
 * convs at stride 1 and average-pools 2x2 after the block's first conv (after its ReLU)
 * and after the shortcut conv, with no final pool: linear from 512*4*4 on 32x32.
 * On 32x32x3 with 10 classes ResNet18 has 11,173,962 parameters, ResNet18_AP 11,250,762.
 *
 * <p>Parameters (PyTorch's names): {@code conv1.weight}, {@code bn1.weight/.bias}, then per
 * block {@code layer{s}.{b}.conv1}, {@code .bn1}, {@code .conv2}, {@code .bn2},
 * {@code .shortcut.0} (conv) and {@code .shortcut.1} ({@code .shortcut.2} for _AP) (norm),
 * then {@code classifier.weight [F, C]}, {@code classifier.bias [C]}; kernels
 * [k, k, in, out].
 *
 * <p>References: He et al., CVPR 2016; DC/MTT reference code, {@code networks.py} ResNet
 * and ResNet_AP (Zhao et al., ICLR 2021); spec section 1.
 */
public final class ResNet18 extends LayeredModel {

  private static final int[] PLANES = {64, 128, 256, 512};
  private static final int BLOCKS_PER_STAGE = 2;

  private final Norm norm;
  private final boolean avgPoolDownsampling;
  private final long featureDim;

  /**
   * @throws IllegalArgumentException if the norm is not instance or batch, the pooling not
   *     none or avg, or the input too small
   */
  public ResNet18(ModelSpec spec) {
    super(spec, plan(spec));
    this.norm = Norm.of(spec.norm());
    this.avgPoolDownsampling = spec.pooling().equals("avg");
    this.featureDim = featureDim(spec);
  }

  private static long featureDim(ModelSpec spec) {
    boolean ap = spec.pooling().equals("avg");
    int h = spec.input().height();
    int w = spec.input().width();
    for (int s = 1; s < PLANES.length; s++) {
      h = ap ? h / 2 : (h + 1) / 2; // stride-2 conv with padding 1: ceil(h / 2)
      w = ap ? w / 2 : (w + 1) / 2;
    }
    if (!ap) {
      h /= 4;
      w /= 4;
    }
    checkArgument(h >= 1 && w >= 1, "input %s is too small for %s", spec.input(), spec.name());
    return 512L * h * w;
  }

  private static LayerPlan plan(ModelSpec spec) {
    Norm norm = Norm.of(spec.norm());
    checkArgument(norm != Norm.NONE, "ResNet18 needs norm instance or batch, got %s",
        spec.norm());
    checkArgument(spec.pooling().equals("none") || spec.pooling().equals("avg"),
        "ResNet18 pooling (downsampling) must be none (strided convs) or avg, got %s",
        spec.pooling());
    boolean ap = spec.pooling().equals("avg");
    LayerPlan plan = new LayerPlan();
    plan.conv("conv1", 3, spec.input().channels(), 64, false).norm("bn1", norm, 64);
    int in = 64;
    for (int s = 0; s < PLANES.length; s++) {
      int planes = PLANES[s];
      for (int b = 0; b < BLOCKS_PER_STAGE; b++) {
        String name = "layer" + (s + 1) + "." + b;
        plan.conv(name + ".conv1", 3, in, planes, false).norm(name + ".bn1", norm, planes)
            .conv(name + ".conv2", 3, planes, planes, false).norm(name + ".bn2", norm, planes);
        if (hasShortcutConv(s, b, in, planes)) {
          plan.conv(name + ".shortcut.0", 1, in, planes, false)
              .norm(name + ".shortcut." + (ap ? 2 : 1), norm, planes);
        }
        in = planes;
      }
    }
    return plan.linear("classifier", featureDim(spec), spec.numClasses());
  }

  private static int stride(int stage, int block) {
    return stage > 0 && block == 0 ? 2 : 1;
  }

  private static boolean hasShortcutConv(int stage, int block, int in, int planes) {
    return stride(stage, block) != 1 || in != planes;
  }

  @Override
  <T extends TFloating> Operand<T> body(LayerPass<T> pass, Operand<T> images) {
    var tf = pass.tf();
    Operand<T> x = tf.nn.relu(pass.norm(pass.conv(images, 1, 1, false), norm)); // [B,H,W,64]
    int in = 64;
    for (int s = 0; s < PLANES.length; s++) {
      int planes = PLANES[s];
      for (int b = 0; b < BLOCKS_PER_STAGE; b++) {
        x = basicBlock(pass, x, in, planes, stride(s, b)); // [B, h / stride, w / stride, planes]
        in = planes;
      }
    }
    if (!avgPoolDownsampling) {
      x = Layers.avgPool(tf, x, 4); // [B, h/4, w/4, 512]
    }
    return tf.reshape(x, tf.constant(new long[] {-1, featureDim})); // [B, F]
  }

  /** @param x shape [B, h, w, in]; returns [B, h', w', planes], h' = h / stride */
  private <T extends TFloating> Operand<T> basicBlock(LayerPass<T> pass, Operand<T> x, int in,
      int planes, int stride) {
    var tf = pass.tf();
    boolean down = stride != 1;
    Operand<T> out;
    if (avgPoolDownsampling) {
      out = tf.nn.relu(pass.norm(pass.conv(x, 1, 1, false), norm));
      if (down) {
        out = Layers.avgPool(tf, out, 2);
      }
    } else {
      out = tf.nn.relu(pass.norm(pass.conv(x, stride, 1, false), norm));
    }
    out = pass.norm(pass.conv(out, 1, 1, false), norm);
    Operand<T> shortcut = x;
    if (down || in != planes) {
      if (avgPoolDownsampling) {
        shortcut = pass.conv(x, 1, 0, false);
        if (down) {
          shortcut = Layers.avgPool(tf, shortcut, 2);
        }
      } else {
        shortcut = pass.conv(x, stride, 0, false);
      }
      shortcut = pass.norm(shortcut, norm);
    }
    return tf.nn.relu(tf.math.add(out, shortcut));
  }
}
