package org.dd4j.models;

import java.util.ArrayList;
import java.util.List;
import org.dd4j.engine.Grad;
import org.dd4j.engine.GradientCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * The pure training-mode {@link Model#forward} of the new layer kinds can be differentiated
 * twice, as the unrolled student needs: d/d(images) of the squared gradient norm
 * {@code sum_k ||d CE / d w_k||^2} against central differences (float64). Batch norm in
 * training mode and the plain conv path pass; ResNet18BN_AP (strided padding, shortcuts) passed
 * the same check on 8x8x2 inputs but takes about 30 s, so it is not part of the suite.
 * Max-pooling networks (AlexNet, VGG11, ConvNet -mp) cannot be: TensorFlow has no gradient
 * of MaxPoolGradV2; they are evaluation networks, trained with first-order gradients only.
 */
class SecondOrderArchitecturesTest {

  @ParameterizedTest
  @ValueSource(strings = {"convnet-d2-w3-bn", "convnet-d1-w3-nn"})
  void squaredGradientNormMatchesFiniteDifferencesInTheImages(String name) {
    InputShape in = new InputShape(4, 4, 2);
    Model m = ModelRegistry.create(ModelRegistry.spec(name, null, null, in, 3));
    int batch = 3;
    try (GradientCheck gc = new GradientCheck()) {
      Ops tf = gc.tf();
      float[] w = m.initialParams(11);
      ParamLayout l = m.layout();
      List<Operand<TFloat64>> tensors = new ArrayList<>();
      for (int k = 0; k < l.count(); k++) {
        double[] v = new double[Math.toIntExact(l.get(k).size())];
        for (int i = 0; i < v.length; i++) {
          v[i] = w[(int) l.offset(k) + i];
        }
        tensors.add(tf.reshape(tf.constant(v), tf.constant(l.get(k).shape())));
      }
      Params<TFloat64> p = new Params<>(l, tensors);
      var x = gc.input(GradientCheck.random(21, batch * in.size(), -1, 1), batch, in.height(),
          in.width(), in.channels());
      Operand<TFloat64> ce = Losses.crossEntropy(tf, m.forward(tf, p, x),
          tf.constant(new int[] {0, 1, 2}), 3);
      List<Operand<TFloat64>> g = Grad.of(tf, ce, tensors);
      Operand<TFloat64> f = tf.constant(0.0);
      for (Operand<TFloat64> gk : g) {
        f = tf.math.add(f, tf.reduceSum(tf.math.square(gk), tf.range(tf.constant(0),
            tf.rank(gk), tf.constant(1))));
      }
      Operand<TFloat64> dfdx = Grad.of(tf, f, List.of(x)).get(0);
      gc.check(f, x, dfdx, 8, 1e-5, 1e-5, 1e-9, 22);
    }
  }
}
