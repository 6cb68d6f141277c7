package org.dd4j.train;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * How a trained network's parameters are updated each batch: a gradient rule ({@link #gradient},
 * the plain gradient for {@link Sgd}, GSAM's surrogate-gap gradient for {@link Gsam}) followed by a
 * PyTorch-style SGD step of {@link #sgd()} (weight decay, momentum, per-epoch lr_teacher).
 *
 * <p>Implementations are immutable records; the trainer builds the update once in the graph.
 */
public interface Optimizer {

  /** The SGD step the gradient is fed to: lr_teacher schedule, momentum, weight decay. */
  Sgd sgd();

  /**
   * Builds the gradient handed to the SGD step for one batch.
   *
   * @param in the batch and the parameters w
   * @param lossAtW {@code objective.loss(in)}, already built
   * @param objective the loss, to be built again at other parameters where the rule needs it
   * @return one gradient per parameter tensor, shapes as {@code in.params()}
   */
  <T extends TFloating> List<Operand<T>> gradient(ObjectiveInputs<T> in, Operand<T> lossAtW,
      Objective objective);

  /** Name and hyperparameters (snake_case keys), for trajectory metadata. */
  Map<String, Object> describe();

  /**
   * Plain SGD at a constant {@code lrTeacher}, no momentum or weight decay (MTT); refine with
   * {@link Sgd#withMomentum}, {@link Sgd#withWeightDecay} and {@link Sgd#withLrDecay}.
   *
   * @param lrTeacher learning rate applied to the parameters, > 0
   */
  static Sgd sgd(double lrTeacher) {
    return new Sgd(lrTeacher, 1.0, new long[0], 0, 0);
  }

  /** GSAM around {@code base} with FTD's code's rho = 0.01 and alpha = 0.4. */
  static Gsam gsam(Sgd base) {
    return new Gsam(base, Gsam.DEFAULT_RHO, Gsam.DEFAULT_ALPHA);
  }

  /**
   * GSAM around {@code base} (FTD, spec section 4a).
   *
   * @param rho perturbation radius, > 0 (FTD 0.01)
   * @param alpha weight of the surrogate-gap term, >= 0 (FTD's code 0.4; its text 0.3 or 1.0)
   */
  static Gsam gsam(Sgd base, double rho, double alpha) {
    return new Gsam(base, rho, alpha);
  }
}
