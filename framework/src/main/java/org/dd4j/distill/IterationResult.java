package org.dd4j.distill;

import java.util.List;

/**
 * One applied distillation iteration.
 *
 * @param iteration 0-based outer iteration
 * @param expert index of the expert trajectory used
 * @param startEpoch t, the expert epoch the student started from (target epoch t + M)
 * @param loss the matching loss before the update (by default MTT eq. 2,
 *     {@code ||w_N - w*||^2 / ||w_0 - w*||^2}), without the regularizers
 * @param synLr syn_lr after the update
 * @param seconds wall time of the iteration (reading snapshots, run, update)
 * @param objective L = loss + sum_k weight_k value_k, what the update descended (= loss
 *     without regularizers)
 * @param terms the regularizers, in the configuration's order (empty without any)
 */
public record IterationResult(int iteration, int expert, int startEpoch, double loss,
    double synLr, double seconds, double objective, List<Term> terms) {

  /**
   * One regularizer's part of the objective.
   *
   * @param label its name ("total-variation", "total-variation#2" for a second one)
   * @param weight lambda_k at this iteration
   * @param value R_k before the update, unweighted
   */
  public record Term(String label, double weight, double value) {}

  public IterationResult {
    terms = List.copyOf(terms);
  }

  /** An iteration without regularizers: the objective is the matching loss. */
  public IterationResult(int iteration, int expert, int startEpoch, double loss, double synLr,
      double seconds) {
    this(iteration, expert, startEpoch, loss, synLr, seconds, loss, List.of());
  }
}
