package org.dd4j.buffer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dd4j.schedule.Schedule;

/**
 * How one expert is trained on the real training set (MTT's buffer phase, spec section 4):
 * mini-batch SGD, PyTorch semantics ({@code d = g + weightDecay * w; buf = momentum * buf + d;
 * w -= lr * buf}).
 *
 * @param epochs T, full passes over the training set; T + 1 snapshots are stored
 * @param batchSize images per step (reference 256); the last batch of an epoch may be smaller
 * @param lrTeacher base learning rate lr_teacher, applied to the parameters (reference 0.01)
 * @param lrDecayFactor factor applied to the learning rate at each epoch of
 *     {@code lrDecayEpochs} (1 = constant)
 * @param lrDecayEpochs epochs (0-based, the first epoch with the new rate) where it decays
 * @param momentum SGD momentum (MTT 0; AST 0.9)
 * @param weightDecay L2 coefficient added to the gradient (MTT 0)
 * @param augment whether the augmentation hook is applied to training batches
 */
public record ExpertTraining(int epochs, int batchSize, double lrTeacher, double lrDecayFactor,
    long[] lrDecayEpochs, double momentum, double weightDecay, boolean augment) {

  public ExpertTraining {
    checkArgument(epochs > 0, "epochs must be > 0, got %s", epochs);
    checkArgument(batchSize > 0, "batchSize must be > 0, got %s", batchSize);
    checkArgument(lrTeacher > 0 && Double.isFinite(lrTeacher),
        "lrTeacher must be > 0, got %s", lrTeacher);
    checkArgument(lrDecayFactor > 0, "lrDecayFactor must be > 0, got %s", lrDecayFactor);
    checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s",
        momentum);
    checkArgument(weightDecay >= 0, "weightDecay must be >= 0, got %s", weightDecay);
    checkNotNull(lrDecayEpochs, "lrDecayEpochs");
    lrDecayEpochs = lrDecayEpochs.clone();
  }

  /** MTT's reference: T epochs, batch 256, lr 0.01 constant, no momentum or weight decay. */
  public static ExpertTraining mtt(int epochs) {
    return new ExpertTraining(epochs, 256, 0.01, 1.0, new long[0], 0, 0, false);
  }

  /** Learning rate per epoch. */
  public Schedule lrSchedule() {
    return Schedule.step(lrTeacher, lrDecayFactor, lrDecayEpochs);
  }

  @Override
  public long[] lrDecayEpochs() {
    return lrDecayEpochs.clone();
  }

  /** Name and hyperparameters, for trajectory metadata. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "sgd");
    m.put("lr_teacher", lrTeacher);
    m.put("momentum", momentum);
    m.put("weight_decay", weightDecay);
    m.put("batch_size", batchSize);
    m.put("epochs", epochs);
    m.put("lr_decay_factor", lrDecayFactor);
    m.put("lr_decay_epochs", lrDecayEpochs.clone());
    m.put("augment", augment);
    return m;
  }
}
