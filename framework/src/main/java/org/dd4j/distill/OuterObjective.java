package org.dd4j.distill;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The outer objective in a graph, {@code L = matching loss + sum_k lambda_k R_k}: the
 * configured {@link MatchingLoss} on the path and each configured {@link Regularizer} on the
 * {@link RegularizerInputs}, weighted by the fed lambda_k (a [K] placeholder, the weights'
 * schedules evaluated at the outer iteration in Java). Built by {@link MatchingGraph} (on the
 * unrolled path) and {@link PathMatchingGraph} (on the fed path, for the adjoint sweep), so
 * both modes differentiate the same ops.
 *
 * @param matching the matching loss, a scalar (DATM's loss threshold reads this alone)
 * @param terms R_k, unweighted scalars, in the configuration's order
 * @param total L, a scalar
 */
record OuterObjective<T extends TFloating>(Operand<T> matching, List<Operand<T>> terms,
    Operand<T> total) {

  /**
   * @param weights lambda_k, [K] (K the number of configured regularizers; unused when K = 0)
   */
  static <T extends TFloating> OuterObjective<T> build(Ops tf, DistillConfig config,
      RegularizerInputs<T> in, Operand<T> weights) {
    Operand<T> matching = config.matchingLoss().apply(tf, in.path()); // scalar
    List<Operand<T>> terms = new ArrayList<>();
    Operand<T> total = matching;
    List<WeightedRegularizer> regs = config.regularizers().terms();
    for (int k = 0; k < regs.size(); k++) {
      Operand<T> r = regs.get(k).term().apply(tf.withSubScope("regularizer" + k), in);
      terms.add(r);
      Operand<T> lambda = tf.gather(weights, tf.constant(k), tf.constant(0)); // scalar
      total = tf.math.add(total, tf.math.mul(lambda, r));
    }
    return new OuterObjective<>(matching, List.copyOf(terms), total);
  }
}
