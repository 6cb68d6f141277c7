package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.junit.jupiter.api.Test;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Every registered matching loss, inner-loss transform and start perturbation keeps its
 * contract: a finite scalar loss, a finite positive factor, a deterministic perturbation of
 * the right length.
 */
class RegisteredPiecesContractTest {

  @Test
  void everyMatchingLossIsAFiniteNonNegativeScalar() {
    double[][] student = {{0, 0}, {0.5, 0.1}, {1, 0.3}, {1.4, 0.9}, {2, 1}};
    double[][] expert = {{0, 0}, {1, 0.5}, {2, 1.5}};
    for (String name : MatchingLosses.names()) {
      try (EagerSession s = EagerSession.create()) {
        Ops tf = Ops.create(s);
        Matching<TFloat32> m = new Matching<>(MatchingLossTest.params32(tf, student),
            MatchingLossTest.params32(tf, expert));
        Operand<TFloat32> l = MatchingLosses.create(name).apply(tf, m);
        assertEquals(0, l.shape().numDimensions(), name);
        float v = l.asTensor().getFloat();
        assertTrue(Float.isFinite(v) && v >= 0, name + " gave " + v);
        assertEquals(v, MatchingLosses.create(name).apply(tf, m).asTensor().getFloat(), 0f,
            name);
      }
    }
  }

  @Test
  void everyInnerLossTransformGivesAFinitePositiveFactor() {
    for (String name : InnerLossTransforms.names()) {
      InnerLossTransform t = InnerLossTransforms.create(name);
      for (int tPlus : new int[] {1, 2, 5, 20, 40}) {
        for (int start = 0; start < tPlus; start++) {
          double nu = t.factor(start, tPlus);
          assertTrue(Double.isFinite(nu) && nu > 0, name + " nu(" + start + ", " + tPlus
              + ") = " + nu);
        }
      }
    }
  }

  @Test
  void everyStartPerturbationIsDeterministicAndKeepsTheLength() {
    Model model = new ConvNet(ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4));
    float[] w0 = model.initialParams(1);
    for (String name : StartPerturbations.names()) {
      StartPerturbation p = StartPerturbations.create(name);
      float[] a = p.perturb(w0, model.layout(), new SplittableRandom(5));
      float[] b = p.perturb(w0, model.layout(), new SplittableRandom(5));
      assertEquals(w0.length, a.length, name);
      assertArrayEquals(a, b, 0f, name);
      for (float v : a) {
        assertTrue(Float.isFinite(v), name);
      }
    }
    assertTrue(StartPerturbations.names().containsAll(List.of("none", "filter-wise",
        "layer-wise")));
  }

  /**
   * Every registered regularizer is a finite, non-negative scalar on images, soft labels and a
   * path, and the same twice (the label terms read label logits, which are given here).
   */
  @Test
  void everyRegularizerIsAFiniteNonNegativeScalar() {
    double[][] student = {{0, 0}, {0.5, 0.1}, {1, 0.3}};
    double[][] expert = {{0, 0}, {1, 0.5}, {2, 1.5}};
    float[] pixels = new float[2 * 3 * 3 * 1];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) Math.sin(1.3 * i);
    }
    for (String name : Regularizers.names()) {
      try (EagerSession s = EagerSession.create()) {
        Ops tf = Ops.create(s);
        Matching<TFloat32> m = new Matching<>(MatchingLossTest.params32(tf, student),
            MatchingLossTest.params32(tf, expert));
        Operand<TFloat32> x = tf.constant(org.tensorflow.ndarray.Shape.of(2, 3, 3, 1),
            org.tensorflow.ndarray.buffer.DataBuffers.of(pixels));
        Operand<TFloat32> y = tf.constant(new float[][] {{1, -1, 0.5f}, {0, 2, -1}});
        RegularizerInputs<TFloat32> in = new RegularizerInputs<>(x, java.util.Optional.of(y),
            tf.constant(0.01f), m, new PixelRange(new float[] {-0.5f}, new float[] {0.5f}), 1);
        Operand<TFloat32> r = Regularizers.create(name).term().apply(tf, in);
        assertEquals(0, r.shape().numDimensions(), name);
        float v = r.asTensor().getFloat();
        assertTrue(Float.isFinite(v) && v >= 0, name + " gave " + v);
        assertEquals(v, Regularizers.create(name).term().apply(tf, in).asTensor().getFloat(),
            0f, name);
      }
    }
  }
}
