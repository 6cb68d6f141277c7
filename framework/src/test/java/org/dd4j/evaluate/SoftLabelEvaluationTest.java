package org.dd4j.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dd4j.augment.Augmentation;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Losses;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.Params;
import org.dd4j.train.NetworkTrainer;
import org.dd4j.train.Training;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * Evaluation networks trained on a set's learned soft labels (DATM's evaluate_synset with
 * SoftCrossEntropy) or, with {@code hard_labels}, on their argmax.
 */
class SoftLabelEvaluationTest {

  static final SessionOptions OPTIONS = SessionOptions.threads(2);
  static final int CLASSES = 4;

  static Model model() {
    return new ConvNet(ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), CLASSES));
  }

  /** Label logits whose softmax is far from one-hot but whose argmax is the class label. */
  static float[] softLogits(int[] labels, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] z = new float[labels.length * CLASSES];
    for (int i = 0; i < labels.length; i++) {
      for (int c = 0; c < CLASSES; c++) {
        z[i * CLASSES + c] = (float) (r.nextDouble() * 0.5 + (c == labels[i] ? 0.8 : 0));
      }
    }
    return z;
  }

  /** One epoch (one full batch) from {@code w0}; returns the parameters after it. */
  static float[] oneEpoch(EvalConfig config, double lr, ImageSet set, float[] logits,
      float[] w0) {
    boolean soft = Evaluator.SOFT.equals(Evaluator.labelsUsed(logits != null, config));
    ImageSet train = logits != null && !soft ? new ImageSet(set.images(),
        org.dd4j.synthetic.SyntheticSet.argmax(logits, CLASSES), set.height(), set.width(), set.channels()) : set;
    Training t = Evaluator.training(config, lr, soft);
    try (NetworkTrainer trainer = new NetworkTrainer(model(), t, Augmentation.none(), OPTIONS)) {
      trainer.reset(w0);
      int[] order = new int[set.count()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      trainer.trainEpoch(train, soft ? logits : null, order, 0, null);
      return trainer.params();
    }
  }

  static double distance(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (double) (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }

  @Test
  void softLabelsTrainToOtherWeightsThanTheirArgmaxAndPeakedOnesToTheSame() {
    ImageSet set = EvaluatorTest.bands(8, 11);
    float[] w0 = model().initialParams(5);
    EvalConfig soft = new EvalConfig(1, 256, 0.9, 5e-4, 1, "none", 0);
    EvalConfig hard = soft.withHardLabels(true);
    float[] logits = softLogits(set.labels(), 3);
    float[] wSoft = oneEpoch(soft, 0.05, set, logits, w0);
    float[] wHard = oneEpoch(hard, 0.05, set, logits, w0);
    float[] wPlain = oneEpoch(soft, 0.05, set, null, w0); // class labels, no logits
    double step = distance(w0, wHard);
    assertTrue(step > 1e-3, "the hard-label step moved the weights by " + step);
    // the argmax equals the class labels here, so hard (argmax) = plain CE, bit for bit
    assertArrayEquals(wPlain, wHard, 0f);
    double apart = distance(wSoft, wHard);
    assertTrue(apart > 0.1 * step, "soft and hard labels trained to weights " + apart
        + " apart (step " + step + ")");
    // logits peaked at the class (softmax one-hot to float precision): soft CE = CE
    float[] peaked = new float[logits.length];
    for (int i = 0; i < set.count(); i++) {
      peaked[i * CLASSES + set.labels()[i]] = 40f;
    }
    float[] wPeaked = oneEpoch(soft, 0.05, set, peaked, w0);
    assertTrue(distance(wPeaked, wHard) < 1e-4 * step + 1e-6, "peaked soft labels trained to"
        + " weights " + distance(wPeaked, wHard) + " from the hard ones");
  }

  @Test
  void argmaxOfLogitsThatDisagreeWithTheClassIsWhatHardLabelsTrainOn() {
    ImageSet set = EvaluatorTest.bands(8, 12);
    float[] logits = softLogits(set.labels(), 4);
    int[] flipped = new int[set.count()];
    for (int i = 0; i < set.count(); i++) { // move every argmax one class on
      flipped[i] = (set.labels()[i] + 1) % CLASSES;
      logits[i * CLASSES + flipped[i]] += 5f;
    }
    assertArrayEquals(flipped, org.dd4j.synthetic.SyntheticSet.argmax(logits, CLASSES));
    float[] w0 = model().initialParams(6);
    EvalConfig hard = new EvalConfig(1, 256, 0.9, 5e-4, 1, "none", 0).withHardLabels(true);
    float[] wHard = oneEpoch(hard, 0.05, set, logits, w0);
    float[] wFlipped = oneEpoch(hard, 0.05, new ImageSet(set.images(), flipped, 8, 8, 1),
        null, w0);
    assertArrayEquals(wFlipped, wHard, 0f);
    assertEquals(Evaluator.ARGMAX, Evaluator.labelsUsed(true, hard));
    assertEquals(Evaluator.SOFT, Evaluator.labelsUsed(true, hard.withHardLabels(false)));
    assertEquals(Evaluator.HARD, Evaluator.labelsUsed(false, hard.withHardLabels(false)));
  }

  /**
   * The evaluation step is w1 = w0 - lr * grad of the soft CE at temperature T (momentum and
   * weight decay 0, one full batch): (w0 - w1) / lr against central differences of the same
   * loss computed in float64, along random directions.
   */
  @Test
  void softCrossEntropyStepMatchesFiniteDifferences() {
    ImageSet set = EvaluatorTest.bands(8, 13);
    float[] logits = softLogits(set.labels(), 5);
    Model model = model();
    float[] w0 = model.initialParams(7);
    double lr = 0.01;
    double temperature = 2.0;
    EvalConfig config = new EvalConfig(1, 256, 0, 0, 1, "none", 0, false, temperature);
    float[] w1 = oneEpoch(config, lr, set, logits, w0);
    double[] grad = new double[w0.length];
    for (int i = 0; i < grad.length; i++) {
      grad[i] = (w0[i] - (double) w1[i]) / lr;
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> w = tf.placeholder(TFloat64.class);
      Operand<TFloat64> x = tf.reshape(tf.constant(widen(set.images())),
          tf.constant(new long[] {set.count(), 8, 8, 1}));
      Operand<TFloat64> z = tf.reshape(tf.constant(widen(logits)),
          tf.constant(new long[] {set.count(), CLASSES}));
      Operand<TFloat64> out = model.forwardTraining(tf, Params.fromFlat(tf, model.layout(), w),
          x).logits();
      Operand<TFloat64> loss = Losses.softCrossEntropy(tf, out, z, temperature);
      SplittableRandom r = new SplittableRandom(9);
      for (int k = 0; k < 3; k++) {
        double[] u = new double[w0.length];
        double dot = 0;
        for (int i = 0; i < u.length; i++) {
          u[i] = r.nextDouble() * 2 - 1;
          dot += u[i] * grad[i];
        }
        double h = 1e-4;
        double fd = (lossAt(s, loss, w, w0, u, h) - lossAt(s, loss, w, w0, u, -h)) / (2 * h);
        assertEquals(fd, dot, 2e-3 * Math.abs(fd) + 1e-4, "direction " + k);
      }
    }
  }

  @Test
  void logitsOfTheWrongLengthAreRefused() {
    ImageSet set = EvaluatorTest.bands(8, 14);
    var e = assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate(model(), set,
        new float[5], 0.01, set, new EvalConfig(1, 256, 0.9, 5e-4, 1, "none", 0), OPTIONS));
    assertTrue(e.getMessage().contains("expected 32 label logits"), e.getMessage());
  }

  private static double[] widen(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  private static double lossAt(Session s, Operand<TFloat64> loss, Placeholder<TFloat64> w,
      float[] w0, double[] u, double h) {
    double[] p = new double[w0.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = w0[i] + h * u[i];
    }
    try (TFloat64 t = Tensors.doubles(p, p.length);
        Result r = s.runner().feed(w, t).fetch(loss).run()) {
      return ((TFloat64) r.get(0)).getDouble();
    }
  }
}
