package org.dd4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dd4j.engine.Grad;
import org.dd4j.engine.GradientCheck;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.Params;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * AST's gradient penalty (eq. 19): its value against a plain-Java evaluation of the norm rule
 * from the input gradient, and its (second-order) gradient w.r.t. the parameters against
 * central finite differences in float64.
 */
class GradientPenaltyTest {

  @Test
  void perSampleNormOnThreeChannelsMatchesFiniteDifferences() {
    check(new InputShape(6, 6, 3), GradientPenalty.Norm.PER_SAMPLE, 2);
  }

  /** One channel goes through the ConvNet's extra zero padding (Pad / Slice gradients). */
  @Test
  void perPixelNormOnOneChannelMatchesFiniteDifferences() {
    check(new InputShape(6, 6, 1), GradientPenalty.Norm.PER_PIXEL, 1);
  }

  @Test
  void rejectsNegativeWeights() {
    assertThrows(IllegalArgumentException.class, () -> Objective.gradientPenalty(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> Objective.gradientPenalty(1, -1));
  }

  private static void check(InputShape shape, GradientPenalty.Norm norm, int depth) {
    Model model = new ConvNet(ModelSpec.convNet(depth, 3, shape, 3));
    int batch = 2;
    double k = 0.5;
    float[] init = model.initialParams(11);
    try (GradientCheck gc = new GradientCheck()) {
      Ops tf = gc.tf();
      Placeholder<TFloat64> images = gc.input(GradientCheck.random(5, batch * shape.size(), 0,
          1), batch, shape.height(), shape.width(), shape.channels());
      List<Placeholder<TFloat64>> ws = new java.util.ArrayList<>();
      for (int t = 0; t < model.layout().count(); t++) {
        var ps = model.layout().get(t);
        double[] v = new double[Math.toIntExact(ps.size())];
        for (int i = 0; i < v.length; i++) {
          v[i] = init[Math.toIntExact(model.layout().offset(t)) + i];
        }
        if (ps.name().startsWith("norm") && ps.name().endsWith(".bias")) {
          // away from 0 so that no ReLU sits at its kink
          v = GradientCheck.random(20 + t, v.length, -0.3, 0.3);
        }
        ws.add(gc.input(v, ps.shape()));
      }
      Params<TFloat64> w = new Params<>(model.layout(), List.copyOf(ws));
      Operand<TFloat64> f = GradientPenalty.penalty(tf, model, w, images, k, norm);

      // value: the norm rule applied in Java to TensorFlow's input gradient
      Operand<TFloat64> total = tf.reduceSum(model.forward(tf, w, images),
          tf.constant(new int[] {0, 1}));
      double[] gx = gc.values(Grad.of(tf, total, List.of(images)).get(0));
      int c = shape.channels();
      int groups = norm == GradientPenalty.Norm.PER_SAMPLE ? batch : batch * shape.height()
          * shape.width();
      int per = gx.length / groups;
      assertEquals(norm == GradientPenalty.Norm.PER_SAMPLE ? shape.size() : c, per);
      double expected = 0;
      for (int gi = 0; gi < groups; gi++) {
        double s = 0;
        for (int i = 0; i < per; i++) {
          s += gx[gi * per + i] * gx[gi * per + i];
        }
        expected += Math.pow(Math.sqrt(s + 1e-12) - k, 2);
      }
      expected /= groups;
      double value = gc.value(f);
      assertEquals(expected, value, 1e-12 * Math.max(1, expected), "penalty value");
      assertTrue(value > 1e-6, "penalty should not vanish here: " + value);

      // second order: d penalty / d w through the input gradient
      List<Operand<TFloat64>> g = Grad.of(tf, f, ws);
      // atol 1e-8: the conv biases have an exact zero gradient (instance norm removes them),
      // where the differences show only rounding noise of about 1e-9
      for (int t = 0; t < ws.size(); t++) {
        gc.check(f, ws.get(t), g.get(t), 12, 1e-6, 1e-5, 1e-8, 30 + t);
      }
      System.out.printf("gradient penalty %s %s depth %d: value %.6g%n", norm, shape, depth,
          value);
    }
  }
}
