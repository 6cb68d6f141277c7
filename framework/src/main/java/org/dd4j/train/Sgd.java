package org.dd4j.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.engine.Grad;
import org.dd4j.schedule.Schedule;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Mini-batch SGD with PyTorch semantics: {@code d = g + weightDecay * w;
 * buf = momentum * buf + d; w -= lr * buf} (buf = d on the first step), lr = lr_teacher
 * times {@code lrDecayFactor} at each of {@code lrDecayEpochs}. With
 * {@link OnLrDecay#NEW_OPTIMIZER} the momentum buffer restarts at each decay epoch, as the
 * reference scripts do by constructing a new {@code torch.optim.SGD} when they decay.
 *
 * <p>References: MTT (spec section 4: lr 0.01, momentum 0); AST (section 4b: momentum 0.9,
 * buffer.py re-creates the optimizer at its decay); MTT's evaluate_synset (section 6).
 *
 * @param lrTeacher base learning rate lr_teacher, applied to the parameters (MTT 0.01)
 * @param lrDecayFactor factor applied to the learning rate at each epoch of
 *     {@code lrDecayEpochs} (1 = constant)
 * @param lrDecayEpochs epochs (0-based, the first epoch with the new rate) where it decays
 * @param momentum SGD momentum in [0, 1) (MTT 0; AST 0.9)
 * @param weightDecay L2 coefficient added to the gradient, >= 0 (MTT 0)
 * @param onLrDecay whether the momentum buffer survives a decay epoch
 */
public record Sgd(double lrTeacher, double lrDecayFactor, long[] lrDecayEpochs, double momentum,
    double weightDecay, OnLrDecay onLrDecay) implements Optimizer {

  /** What happens to the momentum buffer at a decay epoch. */
  public enum OnLrDecay {
    /** The buffer carries over (one optimizer whose lr changes). */
    KEEP_MOMENTUM("keep"),
    /**
     * The buffer restarts at zero: the PyTorch reference builds a new optimizer after the
     * epoch before the decay (AST's buffer.py, MTT's evaluate_synset).
     */
    NEW_OPTIMIZER("new-optimizer");

    private final String id;

    OnLrDecay(String id) {
      this.id = id;
    }

    /** "keep" or "new-optimizer", as recipes and metadata spell it. */
    public String id() {
      return id;
    }

    /** @throws IllegalArgumentException for another name */
    public static OnLrDecay named(String id) {
      for (OnLrDecay o : values()) {
        if (o.id.equals(id)) {
          return o;
        }
      }
      throw new IllegalArgumentException(
          "on_lr_decay must be keep or new-optimizer, got '" + id + "'");
    }
  }

  /** SGD whose momentum buffer carries over the decay epochs. */
  public Sgd(double lrTeacher, double lrDecayFactor, long[] lrDecayEpochs, double momentum,
      double weightDecay) {
    this(lrTeacher, lrDecayFactor, lrDecayEpochs, momentum, weightDecay,
        OnLrDecay.KEEP_MOMENTUM);
  }

  public Sgd {
    checkArgument(lrTeacher > 0 && Double.isFinite(lrTeacher),
        "lrTeacher must be > 0, got %s", lrTeacher);
    checkArgument(lrDecayFactor > 0, "lrDecayFactor must be > 0, got %s", lrDecayFactor);
    checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s",
        momentum);
    checkArgument(weightDecay >= 0, "weightDecay must be >= 0, got %s", weightDecay);
    checkNotNull(lrDecayEpochs, "lrDecayEpochs");
    checkNotNull(onLrDecay, "onLrDecay");
    lrDecayEpochs = lrDecayEpochs.clone();
    Schedule.step(lrTeacher, lrDecayFactor, lrDecayEpochs); // validates the epochs
  }

  /** The same with SGD momentum {@code m} in [0, 1). */
  public Sgd withMomentum(double m) {
    return new Sgd(lrTeacher, lrDecayFactor, lrDecayEpochs, m, weightDecay, onLrDecay);
  }

  /** The same with L2 weight decay {@code wd} >= 0 added to the gradient. */
  public Sgd withWeightDecay(double wd) {
    return new Sgd(lrTeacher, lrDecayFactor, lrDecayEpochs, momentum, wd, onLrDecay);
  }

  /**
   * The same with lr_teacher multiplied by {@code factor} at each of {@code epochs} (0-based,
   * increasing; each the first epoch trained at the new rate), e.g.
   * {@code withLrDecay(0.5, 25)} for AST's paper.
   */
  public Sgd withLrDecay(double factor, long... epochs) {
    return new Sgd(lrTeacher, factor, epochs, momentum, weightDecay, onLrDecay);
  }

  /** The same, the momentum buffer kept or restarted at each decay epoch. */
  public Sgd withOnLrDecay(OnLrDecay o) {
    return new Sgd(lrTeacher, lrDecayFactor, lrDecayEpochs, momentum, weightDecay, o);
  }

  /**
   * Whether the momentum buffer is zeroed before {@code epoch} (0-based) is trained: a decay
   * epoch under {@link OnLrDecay#NEW_OPTIMIZER}.
   */
  public boolean restartsMomentumAt(long epoch) {
    if (onLrDecay != OnLrDecay.NEW_OPTIMIZER || lrDecayFactor == 1) {
      return false;
    }
    for (long e : lrDecayEpochs) {
      if (e == epoch) {
        return true;
      }
    }
    return false;
  }

  /** Learning rate per epoch (0-based). */
  public Schedule lrSchedule() {
    return Schedule.step(lrTeacher, lrDecayFactor, lrDecayEpochs);
  }

  @Override
  public long[] lrDecayEpochs() {
    return lrDecayEpochs.clone();
  }

  @Override
  public Sgd sgd() {
    return this;
  }

  @Override
  public <T extends TFloating> List<Operand<T>> gradient(ObjectiveInputs<T> in,
      Operand<T> lossAtW, Objective objective) {
    return Grad.of(in.tf(), lossAtW, in.params().tensors());
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "sgd");
    putSgd(m);
    return m;
  }

  /** The SGD hyperparameters under their snake_case names. */
  void putSgd(Map<String, Object> m) {
    m.put("lr_teacher", lrTeacher);
    m.put("momentum", momentum);
    m.put("weight_decay", weightDecay);
    m.put("lr_decay_factor", lrDecayFactor);
    m.put("lr_decay_epochs", java.util.Arrays.stream(lrDecayEpochs).boxed().toList());
    m.put("on_lr_decay", onLrDecay.id());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sgd s && s.lrTeacher == lrTeacher && s.lrDecayFactor == lrDecayFactor
        && java.util.Arrays.equals(s.lrDecayEpochs, lrDecayEpochs) && s.momentum == momentum
        && s.weightDecay == weightDecay && s.onLrDecay == onLrDecay;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(lrTeacher, lrDecayFactor,
        java.util.Arrays.hashCode(lrDecayEpochs), momentum, weightDecay, onLrDecay);
  }
}
