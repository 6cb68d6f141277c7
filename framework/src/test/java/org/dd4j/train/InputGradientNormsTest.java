package org.dd4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dd4j.data.ImageSet;
import org.dd4j.engine.GradientCheck;
import org.dd4j.engine.SessionOptions;
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
 * The per-sample input-gradient norm against central finite differences of sum(logits) over
 * every pixel, computed in float64 with the same parameters.
 */
class InputGradientNormsTest {

  @Test
  void normsMatchFiniteDifferences() {
    InputShape shape = new InputShape(6, 6, 2);
    Model model = new ConvNet(ModelSpec.convNet(2, 3, shape, 3));
    float[] params = model.initialParams(7);
    int batch = 3;
    double[] x = GradientCheck.random(3, batch * shape.size(), 0, 1);
    float[] xf = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
      x[i] = xf[i]; // the same images in both precisions
    }
    ImageSet set = new ImageSet(xf, new int[batch], shape.height(), shape.width(),
        shape.channels());

    double[] actual;
    try (InputGradientNorms norms = new InputGradientNorms(model, SessionOptions.threads(1))) {
      actual = norms.norms(params, set, batch);
      assertEquals((actual[0] + actual[1] + actual[2]) / 3, norms.meanNorm(params, set, batch),
          1e-12);
    }

    try (GradientCheck gc = new GradientCheck()) {
      Ops tf = gc.tf();
      Placeholder<TFloat64> images = gc.input(x, batch, shape.height(), shape.width(),
          shape.channels());
      double[] p = new double[params.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = params[i];
      }
      Params<TFloat64> w = Params.fromFlat(tf, model.layout(), tf.constant(p));
      // each sample's logits depend on that sample only (instance norm), so the gradient of
      // the batch total w.r.t. sample b's pixels is sample b's own input gradient
      Operand<TFloat64> total = tf.reduceSum(model.forward(tf, w, images),
          tf.constant(new int[] {0, 1}));
      double h = 1e-5;
      int size = shape.size();
      for (int b = 0; b < batch; b++) {
        double sq = 0;
        for (int i = 0; i < size; i++) {
          int c = b * size + i;
          double orig = x[c];
          x[c] = orig + h;
          double plus = gc.value(total);
          x[c] = orig - h;
          double minus = gc.value(total);
          x[c] = orig;
          double g = (plus - minus) / (2 * h);
          sq += g * g;
        }
        assertEquals(Math.sqrt(sq), actual[b], 1e-4 * Math.sqrt(sq) + 1e-6, "sample " + b);
      }
    }
  }

  @Test
  void rejectsWrongParameterCountAndImageCount() {
    InputShape shape = new InputShape(6, 6, 1);
    Model model = new ConvNet(ModelSpec.convNet(1, 2, shape, 3));
    ImageSet set = new ImageSet(new float[2 * shape.size()], new int[2], 6, 6, 1);
    try (InputGradientNorms norms = new InputGradientNorms(model, SessionOptions.threads(1))) {
      assertThrows(IllegalArgumentException.class, () -> norms.norms(new float[3], set, 1));
      float[] p = model.initialParams(0);
      assertThrows(IllegalArgumentException.class, () -> norms.norms(p, set, 3));
      assertThrows(IllegalArgumentException.class, () -> norms.norms(p, set, 0));
    }
  }
}
