package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.dd4j.engine.Grad;
import org.dd4j.engine.Tensors;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.Params;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * dd4j's {@link TotalVariation} (l1, l2) and {@link ImageL2Prior} against DeepInversion's own
 * code (NVlabs/DeepInversion deepinversion.py: {@code get_image_prior_losses} and the
 * {@code loss_l2} statement of {@code get_images}), values and gradients w.r.t. the images,
 * at rtol 1e-4. Fixture: tools/golden/deepinversion_prior.py.
 */
class GoldenDeepInversionPriorTest {

  @Test
  void totalVariationAndL2PriorMatchTheAuthorsCode() throws IOException {
    JsonNode fixture;
    try (InputStream in = getClass().getResourceAsStream("/golden/deepinversion_prior.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
    int checked = 0;
    for (JsonNode c : fixture.get("cases")) {
      int[] s = new int[4];
      for (int i = 0; i < 4; i++) {
        s[i] = c.get("shape_nhwc").get(i).asInt();
      }
      double[] x = doubles(c.get("images"));
      check("tv l2", new TotalVariation(TotalVariation.Norm.L2), s, x, c.get("tv_l2").asDouble(),
          doubles(c.get("grad_tv_l2")));
      check("tv l1", new TotalVariation(TotalVariation.Norm.L1), s, x, c.get("tv_l1").asDouble(),
          doubles(c.get("grad_tv_l1")));
      check("image l2", new ImageL2Prior(), s, x, c.get("image_l2").asDouble(),
          doubles(c.get("grad_image_l2")));
      checked++;
    }
    assertEquals(2, checked);
  }

  private static void check(String what, Regularizer r, int[] s, double[] x, double value,
      double[] grad) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> images = tf.placeholder(TFloat64.class,
          Placeholder.shape(Shape.of(s[0], s[1], s[2], s[3])));
      Operand<TFloat64> out = r.apply(tf, new RegularizerInputs<>(images, Optional.empty(),
          tf.constant(0.1), dummyPath(tf), PixelRange.UNKNOWN, 1));
      Operand<TFloat64> dx = Grad.of(tf, out, List.of(images)).get(0);
      try (Session session = new Session(g);
          Tensor fed = Tensors.doubles(x, s[0], s[1], s[2], s[3]);
          Result res = session.runner().feed(images, fed).fetch(out).fetch(dx).run()) {
        double v = Tensors.toDoublesWidening(res.get(0))[0];
        double[] d = Tensors.toDoublesWidening(res.get(1));
        assertEquals(value, v, 1e-4 * Math.abs(value), what + " value");
        double scale = 0;
        for (double e : grad) {
          scale = Math.max(scale, Math.abs(e));
        }
        assertTrue(scale > 0, what + ": zero gradient in the fixture");
        for (int i = 0; i < grad.length; i++) {
          assertEquals(grad[i], d[i], 1e-4 * Math.abs(grad[i]) + 1e-7 * scale,
              what + " gradient " + i);
        }
      }
    }
  }

  /** A path the image priors do not read. */
  private static Matching<TFloat64> dummyPath(Ops tf) {
    Model m = new ConvNet(ModelSpec.convNet(1, 2, new InputShape(4, 4, 1), 2));
    Operand<TFloat64> w = tf.zeros(tf.constant(new long[] {m.layout().totalSize()}),
        TFloat64.class);
    Params<TFloat64> p = Params.fromFlat(tf, m.layout(), w);
    return new Matching<>(List.of(p, p), List.of(p, p));
  }

  private static double[] doubles(JsonNode a) {
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).asDouble();
    }
    return d;
  }
}
