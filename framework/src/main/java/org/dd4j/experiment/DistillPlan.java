package org.dd4j.experiment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import org.dd4j.distill.DistillConfig;

/**
 * The distillation phase of an experiment.
 *
 * @param config the distillation settings (spec section 5)
 * @param saveEvery iterations between checkpoints and saved synthetic sets, > 0
 * @param evalEvery iterations between evaluations during the run (MTT's eval_it); 0 = only
 *     at the end
 * @param buffer an existing buffer directory to match (e.g. from {@code dd4j buffer}), or null
 *     for the experiment's own buffer phase
 */
public record DistillPlan(DistillConfig config, int saveEvery, int evalEvery, Path buffer) {

  /** Distillation from the experiment's own buffer. */
  public DistillPlan(DistillConfig config, int saveEvery, int evalEvery) {
    this(config, saveEvery, evalEvery, null);
  }

  /** @throws IllegalArgumentException for saveEvery &lt;= 0 or evalEvery &lt; 0 */
  public DistillPlan {
    checkNotNull(config, "config");
    checkArgument(saveEvery > 0, "saveEvery must be > 0, got %s", saveEvery);
    checkArgument(evalEvery >= 0, "evalEvery must be >= 0 (0 = only at the end), got %s",
        evalEvery);
  }
}
