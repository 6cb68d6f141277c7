package org.dd4j.distill;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A user-written regularizer for float32 graphs, as a lambda (a generic method cannot be
 * one); wrap it with {@link Regularizer#float32(String, Float32RegularizerFn)}.
 */
@FunctionalInterface
public interface Float32RegularizerFn {

  /** @return a scalar float32 term built from {@code in} */
  Operand<TFloat32> apply(Ops tf, RegularizerInputs<TFloat32> in);
}
