package org.dd4j.distill;

/**
 * One applied distillation iteration.
 *
 * @param iteration 0-based outer iteration
 * @param expert index of the expert trajectory used
 * @param startEpoch t, the expert epoch the student started from (target epoch t + M)
 * @param loss the normalized matching loss {@code ||w_N - w*||^2 / ||w_0 - w*||^2} before
 *     the update (MTT eq. 2)
 * @param synLr syn_lr after the update
 * @param seconds wall time of the iteration (reading snapshots, run, update)
 */
public record IterationResult(int iteration, int expert, int startEpoch, double loss,
    double synLr, double seconds) {}
