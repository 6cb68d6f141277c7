package org.dd4j.distill;

/**
 * An iteration whose update was not applied because something diverged, or because its
 * matching loss was above DATM's loss_threshold (the previous
 * images, syn_lr and optimizer states are kept).
 *
 * @param iteration 0-based outer iteration
 * @param expert index of the expert trajectory used
 * @param startEpoch t, the expert start epoch
 * @param reason what was not finite or out of range, e.g. "loss is NaN"
 * @param loss the matching loss of the run (may be NaN or infinite)
 * @param consecutive how many iterations in a row have now been skipped as failures,
 *     including this one; a skip by DATM's loss threshold is no failure and leaves the count
 *     as it was
 */
public record SkippedIteration(int iteration, int expert, int startEpoch, String reason,
    double loss, int consecutive) {}
