package org.dd4j.models;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/** Classification losses built from ops whose gradients are themselves differentiable. */
public final class Losses {

  private Losses() {}

  /**
   * Mean softmax cross-entropy, {@code -mean_b log softmax(logits)[b, y_b]}, written with
   * log-softmax so that it can be differentiated twice.
   *
   * @param logits shape [B, C]
   * @param labels shape [B], class indices in [0, C)
   * @return scalar
   */
  public static <T extends TFloating> Operand<T> crossEntropy(Ops tf, Operand<T> logits,
      Operand<TInt32> labels, int numClasses) {
    Operand<T> oneHot = tf.oneHot(labels, tf.constant(numClasses),
        tf.constant(logits.type(), 1), tf.constant(logits.type(), 0)); // [B, C]
    return meanCrossEntropy(tf, oneHot, logits);
  }

  /** {@code -(1/B) sum_b sum_c targets[b, c] * log softmax(logits)[b, c]}, both [B, C]. */
  private static <T extends TFloating> Operand<T> meanCrossEntropy(Ops tf, Operand<T> targets,
      Operand<T> logits) {
    Operand<T> logp = tf.nn.logSoftmax(logits); // [B, C]
    Operand<T> perSample = tf.reduceSum(tf.math.mul(targets, logp), tf.constant(1)); // [B]
    return tf.math.neg(tf.math.mean(perSample, tf.constant(0)));
  }

  /**
   * Mean soft cross-entropy against soft targets given as logits,
   * {@code -(1/B) sum_b sum_c log softmax(logits)[b, c] * softmax(targetLogits / T)[b, c]}:
   * DATM's {@code SoftCrossEntropy} (distill/DATM.py) with a temperature T (their code: 1).
   * Written with log-softmax and softmax so that it can be differentiated twice, and
   * differentiable w.r.t. the target logits too (the learnable soft labels).
   *
   * @param logits the network's output, shape [B, C]
   * @param targetLogits label logits, shape [B, C]
   * @param temperature T > 0; 1 adds no op
   * @return scalar
   */
  public static <T extends TFloating> Operand<T> softCrossEntropy(Ops tf, Operand<T> logits,
      Operand<T> targetLogits, double temperature) {
    Operand<T> z = targetLogits;
    if (temperature != 1) {
      z = tf.math.div(z, tf.dtypes.cast(tf.constant(temperature), logits.type()));
    }
    return meanCrossEntropy(tf, tf.nn.softmax(z), logits); // targets softmax(z), [B, C]
  }

  /** Number of correct predictions: {@code sum_b [argmax logits[b] == y_b]}, int32 scalar. */
  public static <T extends TFloating> Operand<TInt32> correctCount(Ops tf, Operand<T> logits,
      Operand<TInt32> labels) {
    Operand<TInt32> pred = tf.math.argMax(logits, tf.constant(1), TInt32.class);
    return tf.reduceSum(tf.dtypes.cast(tf.math.equal(pred, labels), TInt32.class),
        tf.constant(0));
  }
}
