package org.dd4j.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dd4j.schedule.Schedule;

/**
 * How one network is trained on a set of images: an expert on the real training set (buffer
 * phase, spec section 4) or an evaluation network on a synthetic set (spec section 6): mini-
 * batches of {@code batchSize} images, each one step of {@code optimizer} on
 * {@code objective}. The experts' presets are {@code buffer.ExpertRecipe}'s
 * ({@code ExpertRecipe.preset("mtt", epochs)}).
 *
 * @param epochs T, full passes over the training set; T + 1 snapshots are stored
 * @param batchSize images per step (reference 256); the last batch of an epoch may be smaller
 * @param optimizer the update rule and its SGD step (lr_teacher per epoch, momentum, weight
 *     decay)
 * @param objective the per-batch loss
 * @param augment whether the augmentation hook (DSA) is applied to training batches
 */
public record Training(int epochs, int batchSize, Optimizer optimizer,
    Objective objective, boolean augment) {

  public Training {
    checkArgument(epochs > 0, "epochs must be > 0, got %s", epochs);
    checkArgument(batchSize > 0, "batchSize must be > 0, got %s", batchSize);
    checkNotNull(optimizer, "optimizer");
    checkNotNull(objective, "objective");
  }

  /**
   * Cross-entropy with SGD (PyTorch semantics: {@code d = g + weightDecay * w;
   * buf = momentum * buf + d; w -= lr * buf}), lr_teacher times {@code lrDecayFactor} at
   * each of {@code lrDecayEpochs} (0-based).
   */
  public Training(int epochs, int batchSize, double lrTeacher, double lrDecayFactor,
      long[] lrDecayEpochs, double momentum, double weightDecay, boolean augment) {
    this(epochs, batchSize, new Sgd(lrTeacher, lrDecayFactor, lrDecayEpochs, momentum,
        weightDecay), Objective.crossEntropy(), augment);
  }

  public Training withOptimizer(Optimizer o) {
    return new Training(epochs, batchSize, o, objective, augment);
  }

  public Training withObjective(Objective o) {
    return new Training(epochs, batchSize, optimizer, o, augment);
  }

  public Training withEpochs(int t) {
    return new Training(t, batchSize, optimizer, objective, augment);
  }

  public Training withBatchSize(int b) {
    return new Training(epochs, b, optimizer, objective, augment);
  }

  public Training withAugment(boolean on) {
    return new Training(epochs, batchSize, optimizer, objective, on);
  }

  /** Learning rate per epoch (0-based), of the optimizer's SGD step. */
  public Schedule lrSchedule() {
    return optimizer.sgd().lrSchedule();
  }

  /**
   * Optimizer name and hyperparameters, batch size, epochs, augmentation flag and the
   * objective's terms (scheduled values per epoch), for trajectory metadata.
   */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>(optimizer.describe());
    m.put("batch_size", batchSize);
    m.put("epochs", epochs);
    m.put("augment", augment);
    m.put("objective", objective.describe(epochs));
    return m;
  }
}
