package org.dd4j.train;

import java.util.List;
import java.util.Map;
import org.dd4j.schedule.Schedule;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * The per-batch training loss of a network (an expert, an evaluation network), built in the
 * graph once and evaluated every step.
 * Terms compose with {@link #plus}: AST's loss is
 * {@code crossEntropy(astLossRamp()).plus(gradientPenalty(1, 1))}.
 *
 * <p>Implementations are immutable function objects. Per-epoch values (a loss scale) are
 * requested from {@link ObjectiveInputs#scalars()} and fed each step; the graph is not rebuilt
 * per epoch. An objective may be built twice in one graph (GSAM evaluates it at w and at
 * w + e), so it must not create state of its own.
 *
 * <p>References: MTT (Cazenavette et al. 2022), spec section 4; AST (Shen, Yang, Lam 2023),
 * eq. 19 and spec section 4b.
 */
public interface Objective {

  /**
   * Builds the loss of one batch.
   *
   * @return scalar loss, differentiable w.r.t. {@code in.params()}
   */
  <T extends TFloating> Operand<T> loss(ObjectiveInputs<T> in);

  /**
   * One JSON object per term (name and settings; scheduled values listed per epoch), for
   * trajectory metadata and saved configurations.
   *
   * @param epochs T, how many epoch values of a schedule to list
   */
  List<Map<String, Object>> describe(int epochs);

  /**
   * Whether differentiating the loss w.r.t. the parameters goes through a gradient (a
   * gradient penalty): the trainer then registers dd4j's second-order gradients first.
   */
  default boolean needsSecondOrder() {
    return false;
  }

  /**
   * Whether the loss reads per-image label logits ({@link ObjectiveInputs#targetLogits()}):
   * the trainer then feeds them with every batch ({@code NetworkTrainer.trainEpoch} with
   * label logits).
   */
  default boolean needsTargets() {
    return false;
  }

  /** The sum of this objective and {@code other}, terms in this order. */
  default Objective plus(Objective other) {
    return ObjectiveSum.of(this, other);
  }

  /** Mean softmax cross-entropy of the augmented batch (MTT, spec section 4). */
  static Objective crossEntropy() {
    return new CrossEntropyTerm(null);
  }

  /**
   * Mean soft cross-entropy against fed label logits at temperature T (DATM's evaluation of a
   * set with learned soft labels: {@code SoftCrossEntropy}, T = 1); needs the label logits of
   * every batch ({@link #needsTargets()}).
   *
   * @param temperature T &gt; 0; the targets are softmax(label logits / T)
   * @throws IllegalArgumentException if T is not finite and positive
   */
  static Objective softCrossEntropy(double temperature) {
    return new SoftCrossEntropyTerm(temperature);
  }

  /**
   * {@code lambda_e * CE}, lambda_e = {@code scale.at(epoch)} with the epoch 0-based, fed each
   * step (AST's "clipped" CE loss, eq. 19).
   *
   * @param scale lambda_e per epoch, e.g. {@link #astLossRamp()}
   */
  static Objective crossEntropy(Schedule scale) {
    return new CrossEntropyTerm(java.util.Objects.requireNonNull(scale, "scale"));
  }

  /**
   * AST paper's lambda_e: 0.5, 0.6, 0.7, 0.8, 0.9 in epochs 0-4, then 1
   * ({@code Schedule.linearRamp(0.5, 1.0, 5)}, per epoch). References: AST, section V-A.
   */
  static Schedule astLossRamp() {
    return Schedule.linearRamp(0.5, 1.0, 5);
  }

  /**
   * AST code's lambda_e: 0.5, 0.55, ..., 0.95 in epochs 0-9, then 1
   * ({@code Schedule.linearRamp(0.5, 1.0, 10)}, per epoch). References: spec section 4b.
   */
  static Schedule astCodeLossRamp() {
    return Schedule.linearRamp(0.5, 1.0, 10);
  }

  /**
   * AST's gradient penalty with the paper's norm ({@link GradientPenalty.Norm#PER_SAMPLE}):
   * {@code mu * E_x[(||grad_x sum(logits(x))||_2 - K)^2]} on the un-augmented batch.
   *
   * @param mu weight of the penalty (AST paper 1, code 2), >= 0
   * @param k target gradient norm K (AST 1), in logit units per input unit
   */
  static Objective gradientPenalty(double mu, double k) {
    return new GradientPenalty(mu, k, GradientPenalty.Norm.PER_SAMPLE);
  }

  /**
   * As {@link #gradientPenalty(double, double)} with the norm chosen: {@code PER_SAMPLE} (AST
   * paper, eq. 19) or {@code PER_PIXEL} (AST code: over the channels of each pixel).
   */
  static Objective gradientPenalty(double mu, double k, GradientPenalty.Norm norm) {
    return new GradientPenalty(mu, k, norm);
  }
}
