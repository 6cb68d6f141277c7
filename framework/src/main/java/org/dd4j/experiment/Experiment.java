package org.dd4j.experiment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Optional;
import org.dd4j.data.DataChoice;
import org.dd4j.evaluate.EvaluationPlan;
import org.dd4j.models.ModelChoice;

/**
 * A whole experiment as plain data: what an {@code .exp.kts} script describes and
 * {@link ExperimentRunner} runs. A phase that is absent is not run; distillation needs a
 * buffer (its own phase or an existing directory), evaluation needs a set to evaluate (the
 * distilled one, a synthetic-set file, or baselines at a given ipc).
 *
 * @param name names the run directory (letters, digits, '.', '_' and '-')
 * @param data dataset and preprocessing
 * @param model the architecture of the experts and the student
 * @param buffer the buffer phase, or null
 * @param distill the distillation phase, or null
 * @param evaluation the evaluation phase, or null
 */
public record Experiment(String name, DataChoice data, ModelChoice model, BufferPlan buffer,
    DistillPlan distill, EvaluationPlan evaluation) {

  /** @throws IllegalArgumentException for a bad name or a phase without its prerequisite */
  public Experiment {
    checkNotNull(name, "name");
    checkArgument(name.matches("[A-Za-z0-9._-]+"),
        "experiment name '%s' may hold only letters, digits, '.', '_' and '-'", name);
    checkNotNull(data, "dataset");
    checkNotNull(model, "model");
    checkArgument(distill == null || buffer != null || distill.buffer() != null,
        "experiment '%s' distills but has no buffer { } to match", name);
    if (distill != null && buffer != null && distill.buffer() == null) {
      var c = distill.config();
      int needed = c.maxStartEpoch() - 1 + c.expertEpochs();
      checkArgument(needed <= buffer.training().epochs(),
          "distill needs experts with at least maxStartEpoch - 1 + expertEpochs = %s - 1 + %s"
              + " = %s epochs, but buffer.epochs = %s; lower maxStartEpoch or expertEpochs,"
              + " or raise buffer.epochs", c.maxStartEpoch(), c.expertEpochs(), needed,
          buffer.training().epochs());
    }
    checkArgument(evaluation == null || distill != null || evaluation.syntheticSet() != null
            || (!evaluation.baselines().names().isEmpty()
                && evaluation.baselines().ipc() != null),
        "experiment '%s' evaluates but has no distill { } to evaluate", name);
  }

  public Optional<BufferPlan> bufferPlan() {
    return Optional.ofNullable(buffer);
  }

  public Optional<DistillPlan> distillPlan() {
    return Optional.ofNullable(distill);
  }

  public Optional<EvaluationPlan> evaluationPlan() {
    return Optional.ofNullable(evaluation);
  }
}
