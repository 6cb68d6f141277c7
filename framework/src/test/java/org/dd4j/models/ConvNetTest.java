package org.dd4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class ConvNetTest {

  @Test
  void convNet3OnCifarShapesHas320010Parameters() {
    Model m = new ConvNet(ModelSpec.convNet(3, 128, new InputShape(32, 32, 3), 10));
    assertEquals(320_010, m.layout().totalSize());
    assertEquals("conv0.weight[3, 3, 3, 128]", m.layout().get(0).toString());
    assertEquals("fc.weight[2048, 10]", m.layout().get(12).toString());
  }

  @Test
  void singleChannelInputIsPaddedTo32() {
    ConvNet m = new ConvNet(ModelSpec.convNet(3, 128, new InputShape(28, 28, 1), 10));
    assertEquals(128 * 4 * 4, m.featureDim()); // 28 + 2*2 = 32 -> 4 after three pools
    assertEquals(317_706, m.layout().totalSize()); // 1152+128 first conv instead of 3456+128
  }

  @Test
  void registryResolvesDepthAliasesAndRejectsUnknownNames() {
    ModelSpec s = ModelRegistry.spec("convnet-d4", null, 64, new InputShape(64, 64, 3), 200);
    assertEquals(4, s.depth());
    assertEquals(64, s.width());
    var e = assertThrows(IllegalArgumentException.class,
        () -> ModelRegistry.spec("lenet9", null, null, new InputShape(32, 32, 3), 10));
    assertTrue(e.getMessage().contains("known: [alexnet, convnet, resnet18"),
        e.getMessage());
  }

  @Test
  void initFollowsTorchBoundsAndIsSeeded() {
    ConvNet m = new ConvNet(ModelSpec.convNet(3, 16, new InputShape(32, 32, 3), 10));
    float[] a = m.initialParams(7);
    assertArrayEquals(a, m.initialParams(7));
    float[] b = m.initialParams(8);
    assertTrue(a[0] != b[0]);
    ParamLayout l = m.layout();
    double bound = 1 / Math.sqrt(27); // conv0 fan_in = 3*3*3
    double maxAbs = 0;
    for (long i = l.offset(0); i < l.offset(1); i++) {
      maxAbs = Math.max(maxAbs, Math.abs(a[(int) i]));
    }
    assertTrue(maxAbs <= bound && maxAbs > 0.9 * bound, "max |w| " + maxAbs + " vs " + bound);
    assertEquals(1f, a[(int) l.offset(2)]); // norm0.weight
    assertEquals(0f, a[(int) l.offset(3)]); // norm0.bias
  }

  @Test
  void forwardGivesLogitsPerImage() {
    ConvNet m = new ConvNet(ModelSpec.convNet(2, 8, new InputShape(28, 28, 1), 10));
    try (Graph g = new Graph(); Session s = new Session(g, SessionOptions.threads(2)
        .toConfigProto())) {
      Ops tf = Ops.create(g);
      var flat = tf.placeholder(TFloat32.class);
      var x = tf.placeholder(TFloat32.class);
      var logits = m.forward(tf, Params.fromFlat(tf, m.layout(), flat), x);
      float[] img = new float[5 * 28 * 28];
      for (int i = 0; i < img.length; i++) {
        img[i] = (i % 29) / 29f;
      }
      try (TFloat32 w = Tensors.floats(m.initialParams(1), m.layout().totalSize());
          TFloat32 xs = Tensors.floats(img, 5, 28, 28, 1);
          Result r = s.runner().feed(flat, w).feed(x, xs).fetch(logits).run()) {
        assertArrayEquals(new long[] {5, 10}, r.get(0).shape().asArray());
        for (float v : Tensors.toFloats(r.get(0))) {
          assertTrue(Float.isFinite(v));
        }
      }
    }
  }

  @Test
  void fusedFirstOrderPathMatchesThePlainOneInLogitsAndGradients() {
    ConvNet m = new ConvNet(ModelSpec.convNet(2, 8, new InputShape(12, 12, 3), 5));
    try (Graph g = new Graph(); Session s = new Session(g, SessionOptions.threads(2)
        .toConfigProto())) {
      Ops tf = Ops.create(g);
      var flat = tf.placeholder(TFloat32.class);
      var x = tf.placeholder(TFloat32.class);
      var labels = tf.constant(new int[] {0, 1, 2, 3, 4, 0});
      Params<TFloat32> p = Params.fromFlat(tf, m.layout(), flat);
      var plain = m.forward(tf, p, x);
      var fused = m.forwardFirstOrder(tf, p, x);
      var gPlain = org.dd4j.engine.Grad.of(tf, Losses.crossEntropy(tf, plain, labels, 5),
          List.of(flat)).get(0);
      var gFused = org.dd4j.engine.Grad.of(tf, Losses.crossEntropy(tf, fused, labels, 5),
          List.of(flat)).get(0);
      float[] img = new float[6 * 12 * 12 * 3];
      java.util.Random r = new java.util.Random(3);
      for (int i = 0; i < img.length; i++) {
        img[i] = r.nextFloat();
      }
      try (TFloat32 w = Tensors.floats(m.initialParams(2), m.layout().totalSize());
          TFloat32 xs = Tensors.floats(img, 6, 12, 12, 3);
          Result res = s.runner().feed(flat, w).feed(x, xs).fetch(plain).fetch(fused)
              .fetch(gPlain).fetch(gFused).run()) {
        assertClose(Tensors.toFloats(res.get(0)), Tensors.toFloats(res.get(1)));
        assertClose(Tensors.toFloats(res.get(2)), Tensors.toFloats(res.get(3)));
      }
    }
  }

  private static void assertClose(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double scale = 0;
    for (float v : a) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-4 * scale, "element " + i);
    }
  }
}
