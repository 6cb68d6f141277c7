package org.dd4j.distill;

/** Typed progress events of a {@link Distiller} run; every method defaults to nothing. */
public interface DistillListener {

  /** After an iteration's update was applied. */
  default void onIteration(IterationResult result) {}

  /** After an iteration was skipped by the divergence guard. */
  default void onSkipped(SkippedIteration skipped) {}
}
