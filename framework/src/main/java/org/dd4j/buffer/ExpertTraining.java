package org.dd4j.buffer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dd4j.schedule.Schedule;

/**
 * How one expert is trained on the real training set (buffer phase, spec section 4): mini-
 * batches of {@code batchSize} images, each one step of {@code optimizer} on
 * {@code objective}. Presets: {@link #mtt}, {@link #ftd}, {@link #ast}, {@link #astPaper}.
 *
 * @param epochs T, full passes over the training set; T + 1 snapshots are stored
 * @param batchSize images per step (reference 256); the last batch of an epoch may be smaller
 * @param optimizer the update rule and its SGD step (lr_teacher per epoch, momentum, weight
 *     decay)
 * @param objective the per-batch loss
 * @param augment whether the augmentation hook (DSA) is applied to training batches
 */
public record ExpertTraining(int epochs, int batchSize, ExpertOptimizer optimizer,
    ExpertObjective objective, boolean augment) {

  public ExpertTraining {
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
  public ExpertTraining(int epochs, int batchSize, double lrTeacher, double lrDecayFactor,
      long[] lrDecayEpochs, double momentum, double weightDecay, boolean augment) {
    this(epochs, batchSize, new Sgd(lrTeacher, lrDecayFactor, lrDecayEpochs, momentum,
        weightDecay), ExpertObjective.crossEntropy(), augment);
  }

  /**
   * MTT's reference (spec section 4): T epochs, batch 256, SGD at lr_teacher 0.01 constant,
   * no momentum or weight decay, cross-entropy, DSA on ({@link ExpertRecipe} "mtt").
   */
  public static ExpertTraining mtt(int epochs) {
    return preset("mtt", epochs);
  }

  /**
   * FTD as its code runs (spec section 4a): as {@link #mtt} with GSAM around the SGD step,
   * rho 0.01 and alpha 0.4 ({@link ExpertRecipe} "ftd"; "ftd-paper" has alpha 0.3).
   */
  public static ExpertTraining ftd(int epochs) {
    return preset("ftd", epochs);
  }

  /**
   * AST as its released code and buffer.sh run it (spec section 4b): SGD momentum 0.9 at
   * lr_teacher 0.003, weight decay 0.001, plain cross-entropy, lr x0.6 from 0-based epoch
   * {@code epochs / 2 + 2} (27 of 50; none below 3 epochs) with the momentum buffer restarted
   * there.
   */
  public static ExpertTraining ast(int epochs) {
    return preset("ast", epochs);
  }

  /**
   * AST as its paper describes it (section V-A; spec section 4b): SGD momentum 0.9 at
   * lr_teacher 0.01, halved at epoch 25 (0-based; kept only if {@code epochs > 25}), loss
   * {@code lambda_e * CE + 1 * GP} with lambda_e = {@link ExpertObjective#astLossRamp()}, K 1,
   * per-sample norm, DSA on.
   */
  public static ExpertTraining astPaper(int epochs) {
    return preset("ast-paper", epochs);
  }

  /** A preset of {@link ExpertRecipe#PRESETS} (e.g. "ast(gp_k=0.25)"), batch 256, DSA on. */
  public static ExpertTraining preset(String description, int epochs) {
    return ExpertRecipe.named(description).training(epochs, 256, true);
  }

  public ExpertTraining withOptimizer(ExpertOptimizer o) {
    return new ExpertTraining(epochs, batchSize, o, objective, augment);
  }

  public ExpertTraining withObjective(ExpertObjective o) {
    return new ExpertTraining(epochs, batchSize, optimizer, o, augment);
  }

  public ExpertTraining withEpochs(int t) {
    return new ExpertTraining(t, batchSize, optimizer, objective, augment);
  }

  public ExpertTraining withBatchSize(int b) {
    return new ExpertTraining(epochs, b, optimizer, objective, augment);
  }

  public ExpertTraining withAugment(boolean on) {
    return new ExpertTraining(epochs, batchSize, optimizer, objective, on);
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
