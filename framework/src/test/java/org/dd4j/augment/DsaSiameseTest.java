package org.dd4j.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.dd4j.augment.DsaAugmentation.Pairing;
import org.dd4j.engine.GradientCheck;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.InputShape;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Siamese mode (one draw fed to two batches) and the {@link DsaAugmentation} adapter:
 * reproducible under a seed, fresh draws each run.
 */
class DsaSiameseTest {

  private static final InputShape SHAPE = new InputShape(8, 8, 3);
  private static final int B = 4;
  private static final float[] X = toFloats(GradientCheck.random(9, B * SHAPE.size(), 0, 1));

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /** Two applications to the same images; returns runs x {first, second} outputs. */
  private static float[][][] twoApplications(Pairing pairing, long seed, int runs) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> a = tf.placeholder(TFloat32.class);
      Placeholder<TFloat32> b = tf.placeholder(TFloat32.class);
      DsaAugmentation dsa = new DsaAugmentation(DsaConfig.defaults(), SHAPE, seed, pairing);
      Operand<TFloat32> ya = dsa.apply(tf, a);
      Operand<TFloat32> yb = dsa.apply(tf, b);
      float[][][] out = new float[runs][][];
      try (Session s = new Session(g, SessionOptions.threads(2).toConfigProto());
          TFloat32 x = Tensors.floats(X, B, 8, 8, 3)) {
        for (int r = 0; r < runs; r++) {
          Session.Runner runner = s.runner().feed(a, x).feed(b, x);
          try (DsaFeeds.Fed fed = dsa.feedNext(runner, B);
              Result res = runner.fetch(ya).fetch(yb).run()) {
            out[r] = new float[][] {Tensors.toFloats(res.get(0)), Tensors.toFloats(res.get(1))};
          }
        }
      }
      return out;
    }
  }

  @Test
  void siameseAugmentsIdenticalBatchesIdentically() {
    float[][][] out = twoApplications(Pairing.SIAMESE, 11, 6);
    for (float[][] run : out) {
      assertArrayEquals(run[0], run[1], 0f);
    }
  }

  @Test
  void independentDrawsDiffer() {
    float[][][] out = twoApplications(Pairing.INDEPENDENT, 11, 6);
    boolean anyDiffers = false;
    for (float[][] run : out) {
      anyDiffers |= !Arrays.equals(run[0], run[1]);
    }
    assertFalse(!anyDiffers, "independent draws gave identical augmentations in 6 runs");
  }

  @Test
  void runsAreReproducibleUnderASeedAndChangeFromRunToRun() {
    float[][][] first = twoApplications(Pairing.INDEPENDENT, 5, 4);
    float[][][] again = twoApplications(Pairing.INDEPENDENT, 5, 4);
    for (int r = 0; r < first.length; r++) {
      assertArrayEquals(first[r][0], again[r][0], 0f);
      assertArrayEquals(first[r][1], again[r][1], 0f);
    }
    boolean changes = false;
    for (int r = 1; r < first.length; r++) {
      changes |= !Arrays.equals(first[0][0], first[r][0]);
    }
    assertFalse(!changes, "the augmentation did not change over 4 runs");
  }

  @Test
  void oneDrawFedToTwoRunnersGivesTheSameAugmentation() {
    DsaParams p = new DsaSampler(DsaConfig.defaults()).draw(new SplittableRandom(2), B, 8, 8);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> a = tf.placeholder(TFloat32.class);
      DsaFeeds<TFloat32> feeds = DsaFeeds.create(tf, TFloat32.class, SHAPE);
      Operand<TFloat32> y = Dsa.apply(tf, a, feeds);
      float[][] outs = new float[2][];
      try (Session s = new Session(g, SessionOptions.threads(2).toConfigProto());
          TFloat32 x = Tensors.floats(X, B, 8, 8, 3)) {
        for (int r = 0; r < 2; r++) {
          Session.Runner runner = s.runner().feed(a, x);
          try (DsaFeeds.Fed fed = feeds.feed(runner, p); Result res = runner.fetch(y).run()) {
            outs[r] = Tensors.toFloats(res.get(0));
          }
        }
      }
      assertArrayEquals(outs[0], outs[1], 0f);
    }
  }
}
