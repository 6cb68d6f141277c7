package org.dd4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.dd4j.augment.Augmentation;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.train.NetworkTrainer;
import org.dd4j.train.Training;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Batch norm as PyTorch's BatchNorm2d: batch statistics in training, running statistics at
 * test time, running statistics moved by momentum 0.1 toward the batch mean and the
 * unbiased batch variance.
 */
class BatchNormTest {

  private static final int B = 4;
  private static final int H = 3;
  private static final int W = 2;
  private static final int C = 3;

  private static float[] randomNhwc(long seed, int count) {
    Random r = new Random(seed);
    float[] x = new float[count];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (2 * r.nextGaussian() + 0.5);
    }
    return x;
  }

  @Test
  void trainingModeNormalizesWithBatchStatisticsAndReportsTheUnbiasedVariance() {
    float[] x = randomNhwc(1, B * H * W * C);
    float[] gamma = {1.5f, -0.5f, 2f};
    float[] beta = {0.1f, 0.2f, -0.3f};
    int n = B * H * W;
    double[] mean = new double[C];
    double[] var = new double[C]; // biased
    for (int i = 0; i < x.length; i++) {
      mean[i % C] += x[i] / (double) n;
    }
    for (int i = 0; i < x.length; i++) {
      var[i % C] += (x[i] - mean[i % C]) * (x[i] - mean[i % C]) / n;
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var out = Layers.batchNormTraining(tf, tf.constant(Tensors.floats(x, B, H, W, C)),
          tf.constant(gamma), tf.constant(beta));
      try (Result r = s.runner().fetch(out.y()).fetch(out.mean()).fetch(out.unbiasedVar())
          .run()) {
        float[] y = Tensors.toFloats(r.get(0));
        for (int i = 0; i < x.length; i++) {
          int c = i % C;
          double expected = (x[i] - mean[c]) / Math.sqrt(var[c] + 1e-5) * gamma[c] + beta[c];
          assertEquals(expected, y[i], 1e-5 * Math.max(1, Math.abs(expected)), "y " + i);
        }
        float[] m = Tensors.toFloats(r.get(1));
        float[] v = Tensors.toFloats(r.get(2));
        for (int c = 0; c < C; c++) {
          assertEquals(mean[c], m[c], 1e-5);
          assertEquals(var[c] * n / (n - 1), v[c], 1e-5 * var[c]);
        }
      }
    }
  }

  @Test
  void inferenceModeUsesRunningStatisticsAndIgnoresTheRestOfTheBatch() {
    Model m = ModelRegistry.create(ModelRegistry.spec("convnet-d1-bn", null, 3,
        new InputShape(4, 4, 3), 5));
    float[] w = m.initialParams(4);
    float[] batch = randomNhwc(2, B * 4 * 4 * 3);
    float[] otherBatch = batch.clone();
    for (int i = 4 * 4 * 3; i < otherBatch.length; i++) { // change all but image 0
      otherBatch[i] = 3 * otherBatch[i] - 1;
    }
    float[] runMean = {0.2f, -0.1f, 0.3f};
    float[] runVar = {2f, 0.5f, 1.5f};
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var flat = tf.placeholder(TFloat32.class);
      var x = tf.placeholder(TFloat32.class);
      Params<TFloat32> p = Params.fromFlat(tf, m.layout(), flat);
      List<Operand<TFloat32>> state = List.of(tf.constant(runMean), tf.constant(runVar));
      Operand<TFloat32> train = m.forward(tf, p, x);
      Operand<TFloat32> test = m.forwardInference(tf, p, state, x);
      // the reference inference pass by hand: conv -> (z - mean) / sqrt(var + eps) -> ...
      Operand<TFloat32> z = tf.nn.biasAdd(tf.nn.conv2d(x, p.get(0), List.of(1L, 1L, 1L, 1L),
          "SAME"), p.get(1));
      Operand<TFloat32> zn = tf.math.add(tf.math.mul(tf.math.div(tf.math.sub(z,
          tf.constant(runMean)), tf.math.sqrt(tf.math.add(tf.constant(runVar),
          tf.constant(1e-5f)))), p.get(2)), p.get(3));
      Operand<TFloat32> pooled = tf.nn.avgPool(tf.nn.relu(zn), List.of(1L, 2L, 2L, 1L),
          List.of(1L, 2L, 2L, 1L), "VALID");
      Operand<TFloat32> byHand = tf.math.add(tf.linalg.matMul(tf.reshape(pooled,
          tf.constant(new long[] {-1, 12})), p.get(4)), p.get(5));
      try (TFloat32 wt = Tensors.floats(w, w.length);
          TFloat32 a = Tensors.floats(batch, B, 4, 4, 3);
          TFloat32 b = Tensors.floats(otherBatch, B, 4, 4, 3);
          Result ra = s.runner().feed(flat, wt).feed(x, a).fetch(train).fetch(test)
              .fetch(byHand).run();
          Result rb = s.runner().feed(flat, wt).feed(x, b).fetch(train).fetch(test).run()) {
        float[] trainA = Tensors.toFloats(ra.get(0));
        float[] testA = Tensors.toFloats(ra.get(1));
        assertArrayEquals(Tensors.toFloats(ra.get(2)), testA, 1e-5f);
        float[] trainB = Tensors.toFloats(rb.get(0));
        float[] testB = Tensors.toFloats(rb.get(1));
        double trainChange = 0;
        for (int k = 0; k < 5; k++) { // logits of image 0
          assertEquals(testA[k], testB[k], 1e-6f, "inference must not see the batch");
          trainChange = Math.max(trainChange, Math.abs(trainA[k] - trainB[k]));
        }
        assertTrue(trainChange > 1e-3, "training mode must use batch statistics");
      }
    }
  }

  @Test
  void trainerMovesRunningStatisticsByMomentumPointOneAndResetsThem() {
    Model m = ModelRegistry.create(ModelRegistry.spec("convnet-d1-bn", null, 2,
        new InputShape(4, 4, 3), 3));
    float[] images = randomNhwc(3, 6 * 4 * 4 * 3);
    ImageSet set = new ImageSet(images, new int[] {0, 1, 2, 0, 1, 2}, 4, 4, 3);
    float[] w = m.initialParams(9);
    // the batch statistics of the whole set under w, from the model's training pass
    float[] stats;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      TrainingForward<TFloat32> pass = m.forwardTraining(tf,
          Params.fromFlat(tf, m.layout(), tf.constant(w)),
          tf.constant(Tensors.floats(images, 6, 4, 4, 3)));
      try (Result r = s.runner().fetch(tf.concat(pass.batchStatistics(), tf.constant(0)))
          .run()) {
        stats = Tensors.toFloats(r.get(0)); // [mean_0, mean_1, var_0, var_1]
      }
    }
    float[] init = m.initialState();
    assertArrayEquals(new float[] {0, 0, 1, 1}, init);
    // lr 1e-30: far below float32's resolution of the weights, so they (and with them the
    // batch statistics) stay exactly as they are
    Training cfg = new Training(2, 6, 1e-30, 1, new long[0], 0, 0, false);
    try (NetworkTrainer t = new NetworkTrainer(m, cfg, Augmentation.none(),
        SessionOptions.threads(2))) {
      t.reset(w);
      int[] all = {0, 1, 2, 3, 4, 5};
      t.trainEpoch(set, all, 0, null);
      float[] once = t.runningState();
      t.trainEpoch(set, all, 1, null);
      float[] twice = t.runningState();
      for (int i = 0; i < 4; i++) {
        assertEquals(0.9 * init[i] + 0.1 * stats[i], once[i], 1e-6, "after one step " + i);
        assertEquals(0.81 * init[i] + 0.19 * stats[i], twice[i], 1e-6, "after two " + i);
      }
      assertArrayEquals(w, t.params(), 1e-20f); // moved by at most lr * |g| ~ 1e-30
      t.reset(w);
      assertArrayEquals(init, t.runningState());
    }
  }
}
