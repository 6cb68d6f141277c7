package org.dd4j.engine;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.family.TType;

/** Typed wrapper over {@code tf.gradients}. */
public final class Grad {

  private Grad() {}

  /**
   * d(scalar)/d(x) for each x, with the same types as the xs.
   *
   * @throws IllegalArgumentException (from TensorFlow) if some op on the path has no
   *     gradient; call {@link SecondOrderGradients#register()} first for second order
   */
  @SuppressWarnings("unchecked")
  public static <T extends TType> List<Operand<T>> of(Ops tf, Operand<?> scalar,
      List<? extends Operand<T>> xs) {
    Gradients g = tf.gradients(scalar, xs);
    List<Operand<T>> out = new ArrayList<>(xs.size());
    for (int i = 0; i < xs.size(); i++) {
      out.add((Operand<T>) (Operand<?>) g.dy(i));
    }
    return out;
  }
}
