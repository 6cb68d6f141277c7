package org.dd4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dd4j.engine.Grad;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The evaluation pool of spec section 1: parameter counts, shapes, init, registry names. */
class ArchitecturesTest {

  private static final InputShape CIFAR = new InputShape(32, 32, 3);
  private static final InputShape MNIST = new InputShape(28, 28, 1);

  /** Parameters of PyTorch's Conv2d(in, out, k, bias). */
  private static long conv(int k, int in, int out, boolean bias) {
    return (long) k * k * in * out + (bias ? out : 0);
  }

  /** Affine parameters of GroupNorm(c, c) or BatchNorm2d(c). */
  private static long norm(int c) {
    return 2L * c;
  }

  private static long linear(long in, int out) {
    return in * out + out;
  }

  private static Model create(String name, InputShape input) {
    return ModelRegistry.create(ModelRegistry.spec(name, null, null, input, 10));
  }

  private static long vgg11Count() {
    int[] channels = {64, 128, 256, 256, 512, 512, 512, 512};
    long n = 0;
    int in = 3;
    for (int c : channels) {
      n += conv(3, in, c, true) + norm(c);
      in = c;
    }
    return n + linear(512, 10); // 32 px after five pools: 1x1x512
  }

  private static long resNet18Count(long featureDim) {
    long n = conv(3, 3, 64, false) + norm(64);
    int in = 64;
    for (int planes : new int[] {64, 128, 256, 512}) {
      for (int b = 0; b < 2; b++) {
        n += conv(3, in, planes, false) + norm(planes) + conv(3, planes, planes, false)
            + norm(planes);
        if (in != planes) { // first block of stages 2-4: 1x1 shortcut conv + norm
          n += conv(1, in, planes, false) + norm(planes);
        }
        in = planes;
      }
    }
    return n + linear(featureDim, 10);
  }

  @Test
  void parameterCountsMatchTheLayerShapesOn32x32x3() {
    long alexnet = conv(5, 3, 128, true) + conv(5, 128, 192, true) + conv(3, 192, 256, true)
        + conv(3, 256, 192, true) + conv(3, 192, 192, true) + linear(192 * 4 * 4, 10);
    assertEquals(1_872_202, alexnet);
    assertEquals(alexnet, create("alexnet", CIFAR).layout().totalSize());

    assertEquals(9_231_114, vgg11Count());
    assertEquals(vgg11Count(), create("vgg11", CIFAR).layout().totalSize());
    assertEquals(vgg11Count(), create("vgg11-bn", CIFAR).layout().totalSize());

    assertEquals(11_173_962, resNet18Count(512)); // the well-known CIFAR ResNet-18 count
    assertEquals(resNet18Count(512), create("resnet18", CIFAR).layout().totalSize());
    assertEquals(resNet18Count(512), create("resnet18-bn", CIFAR).layout().totalSize());
    // _AP: no final pool, the classifier sees 4x4x512
    assertEquals(resNet18Count(512 * 16), create("resnet18-ap", CIFAR).layout().totalSize());
    assertEquals(resNet18Count(512 * 16),
        create("resnet18-bn-ap", CIFAR).layout().totalSize());

    long convnet3 = conv(3, 3, 128, true) + 2 * conv(3, 128, 128, true) + 3 * norm(128)
        + linear(128 * 4 * 4, 10);
    assertEquals(320_010, convnet3);
    assertEquals(convnet3, create("convnet", CIFAR).layout().totalSize());
    assertEquals(convnet3, create("convnet-bn", CIFAR).layout().totalSize());
    assertEquals(convnet3 - 3 * norm(128), create("convnet-nn", CIFAR).layout().totalSize());
    assertEquals(convnet3, create("convnet-mp", CIFAR).layout().totalSize());
    long convnet2w32 = conv(3, 3, 32, true) + conv(3, 32, 32, true) + 2 * norm(32)
        + linear(32 * 8 * 8, 10);
    assertEquals(convnet2w32, create("convnet-d2-w32", CIFAR).layout().totalSize());
  }

  @Test
  void everyBuiltInNameHasACountedArchitecture() {
    assertEquals(List.of("alexnet", "convnet", "resnet18", "resnet18-ap", "resnet18-bn",
        "resnet18-bn-ap", "vgg11", "vgg11-bn"), List.copyOf(ModelRegistry.names()));
  }

  @Test
  void singleChannelInputsFollowTheReferencePadding() {
    // AlexNet pads the first conv by 4 (28 -> 32), VGG11 by 3; ResNet18 does not pad more:
    // 28 -> 14 -> 7 -> 4, then avg-pool 4 -> 1; ResNet18_AP: 28 -> 14 -> 7 -> 3, 3x3x512
    assertFc("alexnet", "fc.weight[3072, 10]");
    assertFc("vgg11", "classifier.weight[512, 10]");
    assertFc("resnet18", "classifier.weight[512, 10]");
    assertFc("resnet18-ap", "classifier.weight[4608, 10]");
    assertEquals("features.0.weight[5, 5, 1, 128]",
        create("alexnet", MNIST).layout().get(0).toString());
  }

  private static void assertFc(String name, String expected) {
    ParamLayout l = create(name, MNIST).layout();
    assertEquals(expected, l.get(l.count() - 2).toString());
  }

  @Test
  void batchNormModelsDeclareRunningStatisticsAsState() {
    Model bn = create("resnet18-bn", CIFAR);
    List<ParamShape> state = bn.stateShapes();
    // one mean and one variance per norm layer: stem, 16 in the blocks, 3 shortcuts
    assertEquals(2 * 20, state.size());
    assertEquals("bn1.running_mean[64]", state.get(0).toString());
    assertEquals("layer2.0.shortcut.1.running_var[128]", state.get(15).toString());
    float[] s0 = bn.initialState();
    assertEquals(0f, s0[0]);
    assertEquals(1f, s0[64]);
    assertEquals(List.of(), create("resnet18", CIFAR).stateShapes());
    assertEquals(0, create("vgg11", CIFAR).initialState().length);
  }

  @Test
  void initIsTorchDefaultAndSeeded() {
    Model m = create("resnet18-ap", new InputShape(16, 16, 3));
    float[] a = m.initialParams(5);
    assertArrayEquals(a, m.initialParams(5));
    assertNotEquals(a[0], m.initialParams(6)[0]);
    ParamLayout l = m.layout();
    double bound = 1 / Math.sqrt(27); // conv1 fan_in = 3*3*3
    double maxAbs = 0;
    for (long i = l.offset(0); i < l.offset(1); i++) {
      maxAbs = Math.max(maxAbs, Math.abs(a[(int) i]));
    }
    assertTrue(maxAbs <= bound && maxAbs > 0.9 * bound, "max |w| " + maxAbs);
    assertEquals(1f, a[(int) l.offset(1)]); // bn1.weight
    assertEquals(0f, a[(int) l.offset(2)]); // bn1.bias
    int fc = l.count() - 2;
    double fcBound = 1 / Math.sqrt(l.get(fc).shape()[0]);
    for (long i = l.offset(fc); i < l.offset(fc + 1); i++) {
      assertTrue(Math.abs(a[(int) i]) <= fcBound);
    }
  }

  @Test
  void registryResolvesConvNetVariantsAndRejectsOptionsOfFixedArchitectures() {
    ModelSpec s = ModelRegistry.spec("convnet-d2-w64-bn-mp", null, null, CIFAR, 10);
    assertEquals(new ModelSpec("convnet", 2, 64, "batch", "max", CIFAR, 10), s);
    assertEquals("none", ModelRegistry.spec("convnet-nn", null, 32, CIFAR, 10).norm());
    assertThrows(IllegalArgumentException.class,
        () -> ModelRegistry.spec("convnet-d2", 3, null, CIFAR, 10));
    assertThrows(IllegalArgumentException.class,
        () -> ModelRegistry.spec("vgg11", 3, null, CIFAR, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new ConvNet(new ModelSpec("convnet", 3, 8, "layer", "avg", CIFAR, 10)));
    assertThrows(IllegalArgumentException.class,
        () -> new Vgg11(new ModelSpec("vgg11", 0, 0, "instance", "max",
            new InputShape(16, 16, 3), 10)));
  }

  /**
   * Every registered architecture (and the ConvNet variants) gives [B, classes] logits in
   * all three passes, the training-mode passes agree, and first-order gradients reach every
   * parameter.
   */
  @ParameterizedTest
  @ValueSource(strings = {"alexnet", "vgg11", "vgg11-bn", "resnet18", "resnet18-bn",
      "resnet18-ap", "resnet18-bn-ap", "convnet-bn", "convnet-nn-mp"})
  void forwardShapesAndFirstOrderGradients(String name) {
    // VGG11 needs 32 px for five pools, ResNet18 for its final 4x4 pool
    InputShape in = name.matches("vgg11.*|resnet18(-bn)?") ? CIFAR : new InputShape(16, 16, 3);
    Model m = ModelRegistry.create(ModelRegistry.spec(name, null,
        name.startsWith("convnet") ? 8 : null, in, 10));
    int batch = 3;
    try (Graph g = new Graph();
        Session s = new Session(g, SessionOptions.threads(2).toConfigProto())) {
      Ops tf = Ops.create(g);
      var flat = tf.placeholder(TFloat32.class);
      var x = tf.placeholder(TFloat32.class);
      Params<TFloat32> p = Params.fromFlat(tf, m.layout(), flat);
      List<Operand<TFloat32>> state = new ArrayList<>();
      for (ParamShape sh : m.stateShapes()) {
        state.add(tf.fill(tf.constant(sh.shape()), tf.constant(sh.name().endsWith("mean")
            ? 0f : 1f)));
      }
      Operand<TFloat32> plain = m.forward(tf, p, x);
      TrainingForward<TFloat32> training = m.forwardTraining(tf, p, x);
      Operand<TFloat32> inference = m.forwardInference(tf, p, state, x);
      Operand<TFloat32> features = m.features(tf, p, x);
      var labels = tf.constant(new int[] {0, 1, 2});
      // per tensor, not through the flat vector: Slice's gradient pads to all P floats
      var grads = Grad.of(tf, Losses.crossEntropy(tf, training.logits(), labels, 10),
          p.tensors());
      var grad = new Params<>(m.layout(), grads).flatten(tf);
      assertEquals(m.stateShapes().size(), training.batchStatistics().size());
      float[] img = new float[batch * in.size()];
      Random r = new Random(1);
      for (int i = 0; i < img.length; i++) {
        img[i] = (float) r.nextGaussian();
      }
      try (TFloat32 w = Tensors.floats(m.initialParams(3), m.layout().totalSize());
          TFloat32 xs = Tensors.floats(img, batch, in.height(), in.width(), in.channels());
          Result res = s.runner().feed(flat, w).feed(x, xs).fetch(plain)
              .fetch(training.logits()).fetch(inference).fetch(grad).fetch(features).run()) {
        for (int k = 0; k < 3; k++) {
          assertArrayEquals(new long[] {batch, 10}, res.get(k).shape().asArray());
        }
        assertEquals(batch, res.get(4).shape().asArray()[0]);
        assertEquals(m.layout().get(m.layout().count() - 2).shape()[0],
            res.get(4).shape().asArray()[1]);
        float[] a = Tensors.toFloats(res.get(0));
        float[] b = Tensors.toFloats(res.get(1));
        double scale = 0;
        for (float v : a) {
          assertTrue(Float.isFinite(v));
          scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a.length; i++) {
          assertEquals(a[i], b[i], 1e-4 * scale, "fused and plain training passes differ");
        }
        float[] gr = Tensors.toFloats(res.get(3));
        ParamLayout l = m.layout();
        for (int k = 0; k < l.count(); k++) {
          double norm2 = 0;
          for (long i = l.offset(k); i < l.offset(k + 1); i++) {
            assertTrue(Float.isFinite(gr[(int) i]));
            norm2 += gr[(int) i] * gr[(int) i];
          }
          assertTrue(norm2 > 0, "no gradient reaches " + l.get(k));
        }
      }
    }
  }
}
