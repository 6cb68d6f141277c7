package org.dd4j.augment;

import java.util.List;
import java.util.SplittableRandom;
import org.dd4j.engine.Grad;
import org.dd4j.engine.GradientCheck;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Cost of the always-on DSA graph (colour + 4-tap resampling), forward and d/d(images), on a
 * CIFAR batch (256 x 32 x 32 x 3, float32), next to the first conv layer of ConvNet-3
 * (3x3, 3 -> 128) alone, forward and d/d(images). Run with {@code -Ddd4j.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "dd4j.benchmark", matches = "true")
class DsaBenchmarkTest {

  private static final int B = 256;
  private static final InputShape SHAPE = new InputShape(32, 32, 3);

  @Test
  void dsaVersusFirstConvLayer() {
    float[] x = new float[B * SHAPE.size()];
    double[] r = GradientCheck.random(1, x.length, 0, 1);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r[i];
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 32, 32, 3)));
      DsaFeeds<TFloat32> feeds = DsaFeeds.create(tf, TFloat32.class, SHAPE);
      Operand<TFloat32> y = Dsa.apply(tf, images, feeds);
      Operand<TFloat32> dsaGrad = Grad.of(tf, tf.reduceSum(tf.math.square(y),
          tf.constant(new int[] {0, 1, 2, 3})), List.of(images)).get(0);
      float[] k = new float[3 * 3 * 3 * 128];
      java.util.Arrays.fill(k, 0.01f);
      Operand<TFloat32> kernel = tf.constant(Shape.of(3, 3, 3, 128), DataBuffers.of(k));
      Operand<TFloat32> conv = tf.nn.conv2d(images, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> convGrad = Grad.of(tf, tf.reduceSum(tf.math.square(conv),
          tf.constant(new int[] {0, 1, 2, 3})), List.of(images)).get(0);
      DsaSampler sampler = new DsaSampler(DsaConfig.defaults());
      SplittableRandom rng = new SplittableRandom(0);
      try (Session s = new Session(g, SessionOptions.threads(2).toConfigProto());
          TFloat32 xt = Tensors.floats(x, B, 32, 32, 3)) {
        for (String which : List.of("dsa", "conv", "dsa", "conv")) {
          int reps = 30;
          long drawNanos = 0;
          long t0 = System.nanoTime();
          for (int i = 0; i < reps; i++) {
            Session.Runner run = s.runner().feed(images, xt);
            if (which.equals("dsa")) {
              long d0 = System.nanoTime();
              DsaParams p = sampler.draw(rng, B, 32, 32);
              drawNanos += System.nanoTime() - d0;
              try (DsaFeeds.Fed fed = feeds.feed(run, p)) {
                run.fetch(dsaGrad).run().close();
              }
            } else {
              run.fetch(convGrad).run().close();
            }
          }
          double ms = (System.nanoTime() - t0) / 1e6 / reps;
          System.out.printf("%s forward+backward: %.2f ms/run (Java draw %.3f ms)%n", which, ms,
              drawNanos / 1e6 / reps);
        }
      }
    }
  }
}
