package org.dd4j.distill;

import java.util.Optional;
import org.dd4j.synthetic.SyntheticSet;

/**
 * Typed progress events of a {@link Distiller} run and of its {@link DistillPhase}; every
 * method defaults to nothing.
 */
public interface DistillListener {

  /** After an iteration's update was applied. */
  default void onIteration(IterationResult result) {}

  /** After an iteration was skipped by the divergence guard. */
  default void onSkipped(SkippedIteration skipped) {}

  /**
   * Before the first iteration of this process: a fresh run starts at 0, a resumed one at
   * its checkpoint's iteration (iterations from there on are done again).
   */
  default void onStart(int fromIteration, int iterations) {}

  /**
   * The synthetic set (and its image EMA, FTD) after {@code iteration} iterations was saved:
   * at every save or evaluation boundary, the last one at the final iteration.
   */
  default void onSaved(int iteration, SyntheticSet set, Optional<SyntheticSet> ema) {}

  /**
   * At every {@code eval_every} iteration before the last ({@link DistillPhase.Options#evalEvery}),
   * after the sets were saved: where an evaluation on the way runs. The phase trains no
   * evaluation network itself; the experiment attaches the listener that does
   * ({@code experiment.InRunEvaluation}).
   *
   * @param iteration the iterations done
   * @param set the synthetic set after them
   * @param ema the images' moving average (FTD), when the run keeps one
   */
  default void onEvaluationPoint(int iteration, SyntheticSet set, Optional<SyntheticSet> ema) {}
}
