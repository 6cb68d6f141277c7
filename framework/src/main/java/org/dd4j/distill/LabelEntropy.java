package org.dd4j.distill;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The entropy of the learnable soft labels (DATM, Guo et al. ICLR 2024: label logits y
 * [n, C], targets softmax(y / T)): with p_i = softmax(y_i / T),
 * {@code H = (1/n) sum_i -sum_c p_ic log p_ic} (nats per image).
 *
 * <ul>
 *   <li>{@code goal=sharpen}: R = H, pushing each soft label towards one class;
 *   <li>{@code goal=smooth}: R = log C - H (>= 0), pushing towards the uniform
 *       distribution: the confidence penalty of Pereyra et al., "Regularizing Neural
 *       Networks by Penalizing Confident Output Distributions" (ICLR 2017 workshop), applied
 *       to the labels instead of a network's outputs.
 * </ul>
 *
 * <p>Needs learnable labels (label_init not "hard"); with hard labels building the graph
 * throws an IllegalArgumentException.
 */
public final class LabelEntropy implements Regularizer {

  /** Registry name. */
  public static final String NAME = "label-entropy";

  /** Which way the entropy is pushed. */
  public enum Goal {
    /** Minimize H. */
    SHARPEN("sharpen"),
    /** Minimize log C - H, i.e. maximize H. */
    SMOOTH("smooth");

    private final String id;

    Goal(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /** @throws IllegalArgumentException for anything but sharpen or smooth */
    public static Goal named(String id) {
      return switch (id.strip().toLowerCase(Locale.ROOT)) {
        case "sharpen" -> SHARPEN;
        case "smooth" -> SMOOTH;
        default -> throw new IllegalArgumentException("label-entropy goal must be sharpen or"
            + " smooth, got '" + id + "'");
      };
    }
  }

  private final Goal goal;

  public LabelEntropy(Goal goal) {
    this.goal = goal;
  }

  @Override
  public <T extends TFloating> Operand<T> apply(Ops tf, RegularizerInputs<T> in) {
    Operand<T> y = in.requireLabelLogits(NAME); // [n, C]
    long classes = y.shape().size(1);
    Operand<T> z = tf.math.div(y, tf.dtypes.cast(tf.constant(in.labelTemperature()),
        y.type())); // [n, C]
    Operand<T> logP = tf.nn.logSoftmax(z); // [n, C]
    Operand<T> p = tf.math.exp(logP);
    Operand<T> h = tf.math.neg(tf.reduceSum(tf.math.mul(p, logP), tf.constant(1))); // [n]
    Operand<T> mean = tf.math.mean(h, tf.constant(0));
    return goal == Goal.SHARPEN ? mean
        : tf.math.sub(tf.dtypes.cast(tf.constant(Math.log(classes)), y.type()), mean);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe() {
    return NAME + "(goal=" + goal.id() + ")";
  }
}
