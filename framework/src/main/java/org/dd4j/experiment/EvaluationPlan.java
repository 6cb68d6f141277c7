package org.dd4j.experiment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import org.dd4j.evaluate.EvalConfig;

/**
 * The evaluation phase of an experiment: K fresh networks of each architecture trained on
 * the distilled set with its learned syn_lr, beside the same protocol on a random-real subset
 * at the same ipc (spec section 6).
 *
 * @param models evaluation architectures, at least one (the first is the headline)
 * @param config epochs, K runs, optimizer and DSA of every evaluation network
 * @param randomBaseline whether random real images (seeded by {@code config.seed()}, trained
 *     at lr_teacher) are evaluated beside the distilled set
 */
public record EvaluationPlan(List<ModelChoice> models, EvalConfig config,
    boolean randomBaseline) {

  /** @throws IllegalArgumentException if {@code models} is empty */
  public EvaluationPlan {
    checkNotNull(config, "config");
    models = List.copyOf(models);
    checkArgument(!models.isEmpty(), "models must name at least one architecture");
  }
}
