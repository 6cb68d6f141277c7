package org.dd4j.distill;

import org.dd4j.models.Params;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * How far a student's parameters landed from the expert's: a pure function of the three
 * parameter sets, built into the graph and differentiated through the unrolled student.
 * Implementations hold no mutable state.
 */
@FunctionalInterface
public interface MatchingLoss {

  /**
   * @param student the student after N syn_steps, w_N
   * @param expertStart the expert at epoch t, w_0 (the student's start)
   * @param expertTarget the expert at epoch t + expert_epochs, w*
   * @return scalar loss
   */
  <T extends TFloating> Operand<T> apply(Ops tf, Params<T> student, Params<T> expertStart,
      Params<T> expertTarget);
}
