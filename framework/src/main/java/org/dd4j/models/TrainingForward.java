package org.dd4j.models;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * A training-mode forward pass: the logits and, for networks with batch norm, the batch
 * statistics each running statistic moves toward. The trainer owning the running state
 * updates it as PyTorch does: {@code running <- (1 - m) running + m batch}, m =
 * {@link #RUNNING_MOMENTUM}, with the batch mean and the unbiased batch variance.
 *
 * @param logits shape [B, numClasses]
 * @param batchStatistics one per {@link Model#stateShapes()} entry, same shapes (mean [C]
 *     and unbiased variance [C] per batch-norm layer); empty for networks without state
 * @param <T> float type of the graph
 */
public record TrainingForward<T extends TFloating>(Operand<T> logits,
    List<Operand<T>> batchStatistics) {

  /** PyTorch's {@code BatchNorm2d} momentum. */
  public static final double RUNNING_MOMENTUM = 0.1;

  public TrainingForward {
    batchStatistics = List.copyOf(batchStatistics);
  }
}
