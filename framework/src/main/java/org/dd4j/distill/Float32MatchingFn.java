package org.dd4j.distill;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A user-written matching loss for float32 graphs, as a lambda (a generic method cannot be
 * one); wrap it with {@link MatchingLoss#float32(String, Float32MatchingFn)}.
 */
@FunctionalInterface
public interface Float32MatchingFn {

  /** @return a scalar float32 loss built from {@code m} */
  Operand<TFloat32> apply(Ops tf, Matching<TFloat32> m);
}
