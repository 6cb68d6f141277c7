package org.dd4j.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.OnesLike;
import org.tensorflow.op.math.RsqrtGrad;
import org.tensorflow.op.nn.AvgPoolGrad;
import org.tensorflow.op.nn.BiasAddGrad;
import org.tensorflow.op.nn.Conv2dBackpropFilter;
import org.tensorflow.op.nn.Conv2dBackpropInput;
import org.tensorflow.op.nn.ReluGrad;

/**
 * Gradients of gradient ops, which TensorFlow's C++ gradient registry lacks and which
 * {@code tf.gradients} needs to differentiate through an unrolled student step
 * {@code w' = w - syn_lr * grad_w CE(w, x)} (MTT's second-order backpropagation).
 *
 * <p>Each rule is the derivative of a linear map, as TensorFlow's Python registry defines
 * it ({@code nn_grad.py}, {@code math_grad.py}, {@code array_grad.py}); integer shape inputs
 * get zeros. Call {@link #register()} before building any graph that differentiates twice;
 * it is idempotent and registers once per process. Every rule is checked against central
 * finite differences in {@code SecondOrderGradientsTest}. Conv2DBackpropInput, the other op
 * of a convolution's gradient, already has a gradient in TensorFlow 2.18's C++ registry; the
 * same test checks that one too.
 */
public final class SecondOrderGradients {

  private static final Set<String> REGISTERED_BY_DD4J = new TreeSet<>();
  private static final Set<String> NATIVE = new TreeSet<>();
  private static boolean registered;

  private SecondOrderGradients() {}

  /**
   * Registers the missing second-order gradients (once per process).
   *
   * <p>Ops that already have a gradient in TensorFlow keep it (see {@link #nativeGradients()}).
   */
  public static synchronized void register() {
    if (registered) {
      return;
    }
    // Conv2DBackpropFilter(x, sizes, dy): linear in x and in dy.
    check("Conv2DBackpropFilter", TensorFlow.registerCustomGradient(
        Conv2dBackpropFilter.Inputs.class, (tf, op, grads) -> {
          var in = (Conv2dBackpropFilter.Inputs<?>) op;
          return conv2dBackpropFilterGrad(tf, in, grads.get(0));
        }));
    // ReluGrad(dy, features) = dy * (features > 0): linear in dy, piecewise constant in
    // features.
    check("ReluGrad", TensorFlow.registerCustomGradient(
        ReluGrad.Inputs.class, (tf, op, grads) -> {
          var in = (ReluGrad.Inputs<?>) op;
          return reluGradGrad(tf, in, grads.get(0));
        }));
    // AvgPoolGrad(shape, dy) = A^T dy for the pooling matrix A: its derivative in dy is A.
    check("AvgPoolGrad", TensorFlow.registerCustomGradient(
        AvgPoolGrad.Inputs.class, (tf, op, grads) -> {
          var in = (AvgPoolGrad.Inputs<?>) op;
          return avgPoolGradGrad(tf, in, grads.get(0));
        }));
    // RsqrtGrad(y, dy) = -0.5 * dy * y^3.
    check("RsqrtGrad", TensorFlow.registerCustomGradient(
        RsqrtGrad.Inputs.class, (tf, op, grads) -> {
          var in = (RsqrtGrad.Inputs<?>) op;
          return rsqrtGradGrad(tf, in, grads.get(0));
        }));
    // OnesLike(x) does not depend on x's values.
    check("OnesLike", TensorFlow.registerCustomGradient(
        OnesLike.Inputs.class, (tf, op, grads) -> {
          var in = (OnesLike.Inputs<?>) op;
          return List.of(tf.zerosLike(in.x));
        }));
    // BiasAddGrad(dy) = sum of dy over all but the channel axis: its derivative broadcasts
    // the upstream [C] gradient back to dy's shape.
    check("BiasAddGrad", TensorFlow.registerCustomGradient(
        BiasAddGrad.Inputs.class, (tf, op, grads) -> {
          var in = (BiasAddGrad.Inputs<?>) op;
          return biasAddGradGrad(tf, in, grads.get(0));
        }));
    registered = true;
  }

  /**
   * TensorFlow keeps a gradient it already has (its C++ registry has some of these ops in
   * some versions): such an op is recorded as native, and the finite-difference tests cover
   * it all the same.
   */
  private static void check(String op, boolean accepted) {
    (accepted ? REGISTERED_BY_DD4J : NATIVE).add(op);
  }

  /** Ops whose second-order gradient dd4j registered in this process. */
  public static synchronized Set<String> registeredByDd4j() {
    return Set.copyOf(REGISTERED_BY_DD4J);
  }

  /** Ops of {@link #opNames()} for which TensorFlow already had a gradient. */
  public static synchronized Set<String> nativeGradients() {
    return Set.copyOf(NATIVE);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> conv2dBackpropFilterGrad(
      Ops tf, Conv2dBackpropFilter.Inputs<?> in, Output<?> grad) {
    Operand g = grad;
    Operand x = in.input;
    Operand dy = in.outBackprop;
    List<Long> strides = longs(in.strides);
    Operand dX = tf.nn.conv2dBackpropInput(tf.shape(x), g, dy, strides, in.padding,
        inputOptions(in.padding, in.explicitPaddings, in.dataFormat, in.dilations));
    Operand dDy = tf.nn.conv2d(x, g, strides, in.padding,
        convOptions(in.padding, in.explicitPaddings, in.dataFormat, in.dilations));
    return List.of(dX, tf.zerosLike(in.filterSizes), dDy);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> reluGradGrad(Ops tf, ReluGrad.Inputs<?> in, Output<?> grad) {
    Operand g = grad;
    Operand features = in.features;
    return List.of(tf.nn.reluGrad(g, features), tf.zerosLike(features));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> avgPoolGradGrad(
      Ops tf, AvgPoolGrad.Inputs<?> in, Output<?> grad) {
    Operand g = grad;
    Operand pooled = tf.nn.avgPool(g, longs(in.ksize), longs(in.strides), in.padding,
        org.tensorflow.op.nn.AvgPool.dataFormat(in.dataFormat));
    return List.of(tf.zerosLike(in.origInputShape), pooled);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> rsqrtGradGrad(Ops tf, RsqrtGrad.Inputs<?> in, Output<?> grad) {
    Operand y = in.y;
    Operand dy = in.dy;
    Operand g = grad;
    // d/dy [-0.5 dy y^3] = -1.5 dy y^2; d/d(dy) = -0.5 y^3 = RsqrtGrad(y, g).
    Operand minus15 = tf.dtypes.cast(tf.constant(-1.5f), (Class) y.type());
    Operand dY = tf.math.mul(tf.math.mul(minus15, tf.math.mul(g, dy)), tf.math.square(y));
    Operand dDy = tf.math.rsqrtGrad(y, g);
    return List.of(dY, dDy);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> biasAddGradGrad(
      Ops tf, BiasAddGrad.Inputs<?> in, Output<?> grad) {
    Operand dy = in.outBackprop;
    Operand g = grad; // [C]
    if ("NCHW".equals(in.dataFormat)) {
      throw new UnsupportedOperationException("BiasAddGrad second derivative supports NHWC only");
    }
    return List.of(tf.math.add(tf.zerosLike(dy), g)); // broadcast [C] over [..., C]
  }

  private static List<Long> longs(long[] values) {
    List<Long> out = new ArrayList<>(values.length);
    for (long v : values) {
      out.add(v);
    }
    return out;
  }

  private static org.tensorflow.op.nn.Conv2d.Options[] convOptions(
      String padding, long[] explicit, String format, long[] dilations) {
    List<org.tensorflow.op.nn.Conv2d.Options> o = new ArrayList<>();
    o.add(org.tensorflow.op.nn.Conv2d.dataFormat(format));
    o.add(org.tensorflow.op.nn.Conv2d.dilations(longs(dilations)));
    if ("EXPLICIT".equals(padding)) {
      o.add(org.tensorflow.op.nn.Conv2d.explicitPaddings(longs(explicit)));
    }
    return o.toArray(new org.tensorflow.op.nn.Conv2d.Options[0]);
  }

  private static Conv2dBackpropInput.Options[] inputOptions(
      String padding, long[] explicit, String format, long[] dilations) {
    List<Conv2dBackpropInput.Options> o = new ArrayList<>();
    o.add(Conv2dBackpropInput.dataFormat(format));
    o.add(Conv2dBackpropInput.dilations(longs(dilations)));
    if ("EXPLICIT".equals(padding)) {
      o.add(Conv2dBackpropInput.explicitPaddings(longs(explicit)));
    }
    return o.toArray(new Conv2dBackpropInput.Options[0]);
  }

  /** Names of the ops this class adds gradients for, for diagnostics and docs. */
  public static List<String> opNames() {
    return Arrays.asList("Conv2DBackpropFilter", "ReluGrad", "AvgPoolGrad", "RsqrtGrad",
        "OnesLike", "BiasAddGrad");
  }

}
