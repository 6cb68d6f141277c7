package org.dd4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The Java and the graph form of {@link HeavyBall} are the same rule: several steps from the
 * same parameters and gradients give the same bits, with and without momentum and weight
 * decay, whether the graph's first step has no buffer (the student's unroll) or a zeroed one
 * (the expert trainer's variable).
 */
class HeavyBallTest {

  private static final int P = 7;
  private static final int STEPS = 4;
  private static final float[] LR = {0.1f, 0.05f, 0.05f, 0.01f}; // a schedule of the step

  private static float[] random(SplittableRandom rng) {
    float[] a = new float[P];
    for (int i = 0; i < P; i++) {
      a[i] = (float) (rng.nextDouble() * 4 - 2);
    }
    return a;
  }

  /** The Java rule from v_0 = 0, with weight decay folded into the gradient as PyTorch does. */
  private static float[][] java(float[] w0, List<float[]> grads, float mu, float wd) {
    float[] w = w0;
    float[] v = new float[P];
    for (int t = 0; t < STEPS; t++) {
      float[] d = grads.get(t).clone();
      if (wd > 0) {
        for (int i = 0; i < P; i++) {
          d[i] = d[i] + wd * w[i];
        }
      }
      float[][] wv = HeavyBall.step(w, v, d, LR[t], mu);
      w = wv[0];
      v = wv[1];
    }
    return new float[][] {w, v};
  }

  /** The graph rule, gradients fed per step; {@code zeroBuffer}: v_0 an explicit zero. */
  private static float[][] graph(float[] w0, List<float[]> grads, float mu, float wd,
      boolean zeroBuffer) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> w0In = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(P)));
      List<Placeholder<TFloat32>> gIn = new ArrayList<>();
      Operand<TFloat32> w = w0In;
      Optional<Operand<TFloat32>> v = zeroBuffer
          ? Optional.of(tf.zeros(tf.constant(new long[] {P}), TFloat32.class)) : Optional.empty();
      Operand<TFloat32> muT = tf.constant(mu);
      Operand<TFloat32> wdT = tf.constant(wd);
      for (int t = 0; t < STEPS; t++) {
        Placeholder<TFloat32> gt = tf.placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(P)));
        gIn.add(gt);
        Operand<TFloat32> d = wd > 0 ? HeavyBall.withWeightDecay(tf, wdT, w, gt) : gt;
        Operand<TFloat32> vt = HeavyBall.velocity(tf, muT, v, d);
        w = tf.math.sub(w, HeavyBall.delta(tf, tf.constant(LR[t]), vt));
        v = Optional.of(vt);
      }
      List<Tensor> fed = new ArrayList<>();
      try {
        TFloat32 w0T = Tensors.floats(w0, P);
        fed.add(w0T);
        Session.Runner r = s.runner().feed(w0In, w0T);
        for (int t = 0; t < STEPS; t++) {
          TFloat32 gt = Tensors.floats(grads.get(t), P);
          fed.add(gt);
          r.feed(gIn.get(t), gt);
        }
        try (Result res = r.fetch(w).fetch(v.orElseThrow()).run()) {
          return new float[][] {Tensors.toFloats(res.get(0)), Tensors.toFloats(res.get(1))};
        }
      } finally {
        fed.forEach(Tensor::close);
      }
    }
  }

  @Test
  void javaAndGraphAgreeToTheBit() {
    SplittableRandom rng = new SplittableRandom(3);
    float[] w0 = random(rng);
    List<float[]> grads = new ArrayList<>();
    for (int t = 0; t < STEPS; t++) {
      grads.add(random(rng));
    }
    for (float mu : new float[] {0f, 0.5f, 0.9f}) {
      for (float wd : new float[] {0f, 0.001f}) {
        float[][] j = java(w0, grads, mu, wd);
        for (boolean zeroBuffer : new boolean[] {false, true}) {
          float[][] g = graph(w0, grads, mu, wd, zeroBuffer);
          String what = "mu " + mu + ", wd " + wd + ", zero buffer " + zeroBuffer;
          assertArrayEquals(j[0], g[0], 0f, "w, " + what);
          assertArrayEquals(j[1], g[1], 0f, "v, " + what);
        }
      }
    }
  }

  /** PyTorch initializes the buffer with the first gradient: v_1 = g_1, w_1 = w_0 - lr g_1. */
  @Test
  void firstStepIsPlainSgd() {
    float[] w = {1f, -2f};
    float[] g = {0.5f, 3f};
    float[][] wv = HeavyBall.step(w, new float[2], g, 0.1f, 0.9f);
    assertArrayEquals(g, wv[1], 0f);
    assertArrayEquals(new float[] {1f - 0.1f * 0.5f, -2f - 0.1f * 3f}, wv[0], 0f);
    assertArrayEquals(new float[] {1f, -2f}, w, 0f); // pure
    assertEquals(2, wv.length);
    assertThrows(IllegalArgumentException.class,
        () -> HeavyBall.step(w, new float[3], g, 0.1f, 0.9f));
  }
}
