package org.dd4j.engine;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * Each hand-written gradient of {@link SecondOrderGradients} against central finite
 * differences: f = sum(r * op(inputs)) for a random r, differentiated w.r.t. each
 * continuous input, so tf.gradients must call the registered rule.
 */
class SecondOrderGradientsTest {

  private static final double H = 1e-6;
  private static final double RTOL = 1e-6;
  private static final double ATOL = 1e-8;

  private static List<Long> ones4() {
    return List.of(1L, 1L, 1L, 1L);
  }

  /** TensorFlow's own (native) gradient of Conv2DBackpropInput, which the unroll relies on. */
  @Test
  void conv2dBackpropInputGradients() {
    for (String padding : List.of("SAME", "VALID")) {
      for (List<Long> strides : List.of(ones4(), List.of(1L, 2L, 2L, 1L))) {
        try (GradientCheck gc = new GradientCheck()) {
          Ops tf = gc.tf();
          long outHw = padding.equals("SAME") ? (strides.get(1) == 2 ? 3 : 5) : (strides.get(1)
              == 2 ? 2 : 3);
          Placeholder<TFloat64> filter = gc.input(GradientCheck.random(1, 3 * 3 * 2 * 3, -1, 1),
              3, 3, 2, 3);
          Placeholder<TFloat64> dy = gc.input(GradientCheck.random(2, (int) (2 * outHw * outHw
              * 3), -1, 1), 2, outHw, outHw, 3);
          Operand<TFloat64> y = tf.nn.conv2dBackpropInput(tf.constant(new int[] {2, 5, 5, 2}),
              filter, dy, strides, padding);
          Operand<TFloat64> f = gc.randomProjection(y, 2 * 5 * 5 * 2, 3, 2, 5, 5, 2);
          var g = Grad.of(tf, f, List.of(filter, dy));
          gc.check(f, filter, g.get(0), 54, H, RTOL, ATOL, 4);
          gc.check(f, dy, g.get(1), 40, H, RTOL, ATOL, 5);
        }
      }
    }
  }

  @Test
  void conv2dBackpropFilterGradients() {
    for (String padding : List.of("SAME", "VALID")) {
      try (GradientCheck gc = new GradientCheck()) {
        Ops tf = gc.tf();
        long outHw = padding.equals("SAME") ? 5 : 3;
        Placeholder<TFloat64> x = gc.input(GradientCheck.random(6, 2 * 5 * 5 * 2, -1, 1),
            2, 5, 5, 2);
        Placeholder<TFloat64> dy = gc.input(GradientCheck.random(7, (int) (2 * outHw * outHw
            * 3), -1, 1), 2, outHw, outHw, 3);
        Operand<TFloat64> y = tf.nn.conv2dBackpropFilter(x, tf.constant(new int[] {3, 3, 2, 3}),
            dy, ones4(), padding);
        Operand<TFloat64> f = gc.randomProjection(y, 54, 8, 3, 3, 2, 3);
        var g = Grad.of(tf, f, List.of(x, dy));
        gc.check(f, x, g.get(0), 40, H, RTOL, ATOL, 9);
        gc.check(f, dy, g.get(1), 40, H, RTOL, ATOL, 10);
      }
    }
  }

  @Test
  void reluGradGradients() {
    try (GradientCheck gc = new GradientCheck()) {
      Ops tf = gc.tf();
      Placeholder<TFloat64> dy = gc.input(GradientCheck.random(11, 24, -1, 1), 2, 3, 4);
      // features away from 0 so that finite differences do not cross the kink
      double[] feat = GradientCheck.random(12, 24, 0.1, 1);
      for (int i = 0; i < feat.length; i += 2) {
        feat[i] = -feat[i];
      }
      Placeholder<TFloat64> features = gc.input(feat, 2, 3, 4);
      Operand<TFloat64> f = gc.randomProjection(tf.nn.reluGrad(dy, features), 24, 13, 2, 3, 4);
      var g = Grad.of(tf, f, List.of(dy, features));
      gc.check(f, dy, g.get(0), 24, H, RTOL, ATOL, 14);
      gc.check(f, features, g.get(1), 24, H, RTOL, ATOL, 15);
    }
  }

  @Test
  void avgPoolGradGradient() {
    try (GradientCheck gc = new GradientCheck()) {
      Ops tf = gc.tf();
      Placeholder<TFloat64> dy = gc.input(GradientCheck.random(16, 2 * 2 * 2 * 3, -1, 1),
          2, 2, 2, 3);
      Operand<TFloat64> y = tf.nn.avgPoolGrad(tf.constant(new int[] {2, 4, 4, 3}), dy,
          List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "VALID");
      Operand<TFloat64> f = gc.randomProjection(y, 96, 17, 2, 4, 4, 3);
      var g = Grad.of(tf, f, List.of(dy));
      gc.check(f, dy, g.get(0), 24, H, RTOL, ATOL, 18);
    }
  }

  @Test
  void rsqrtGradGradients() {
    try (GradientCheck gc = new GradientCheck()) {
      Ops tf = gc.tf();
      Placeholder<TFloat64> y = gc.input(GradientCheck.random(19, 12, 0.2, 2), 3, 4);
      Placeholder<TFloat64> dy = gc.input(GradientCheck.random(20, 12, -1, 1), 3, 4);
      Operand<TFloat64> f = gc.randomProjection(tf.math.rsqrtGrad(y, dy), 12, 21, 3, 4);
      var g = Grad.of(tf, f, List.of(y, dy));
      gc.check(f, y, g.get(0), 12, H, RTOL, ATOL, 22);
      gc.check(f, dy, g.get(1), 12, H, RTOL, ATOL, 23);
    }
  }

  @Test
  void onesLikeHasZeroGradient() {
    try (GradientCheck gc = new GradientCheck()) {
      Ops tf = gc.tf();
      Placeholder<TFloat64> x = gc.input(GradientCheck.random(24, 6, -1, 1), 2, 3);
      // f = sum(r * x * onesLike(x)): only the x factor carries a gradient
      Operand<TFloat64> f = gc.randomProjection(tf.math.mul(x, tf.onesLike(x)), 6, 25, 2, 3);
      var g = Grad.of(tf, f, List.of(x));
      gc.check(f, x, g.get(0), 6, H, RTOL, ATOL, 26);
    }
  }

  @Test
  void biasAddGradGradient() {
    try (GradientCheck gc = new GradientCheck()) {
      Ops tf = gc.tf();
      Placeholder<TFloat64> dy = gc.input(GradientCheck.random(27, 2 * 3 * 3 * 4, -1, 1),
          2, 3, 3, 4);
      Operand<TFloat64> f = gc.randomProjection(tf.nn.biasAddGrad(dy), 4, 28, 4);
      var g = Grad.of(tf, f, List.of(dy));
      gc.check(f, dy, g.get(0), 72, H, RTOL, ATOL, 29);
    }
  }
}
