package org.dd4j.train;

import static com.google.common.base.Preconditions.checkNotNull;

import org.dd4j.models.Model;
import org.dd4j.models.Params;
import org.dd4j.models.TrainingForward;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * What an {@link Objective} builds its per-batch loss from. The logits of the augmented
 * batch are built once on first request and shared by every term (and by the trainer's
 * accuracy count), so composing terms does not repeat the forward pass.
 *
 * <p>Not thread-safe (graph building is single-threaded).
 *
 * @param <T> float type of the graph
 */
public final class ObjectiveInputs<T extends TFloating> {

  private final Ops tf;
  private final Model model;
  private final Params<T> params;
  private final Operand<T> images;
  private final Operand<T> augmented;
  private final Operand<TInt32> labels;
  private final ScheduledScalars<T> scalars;
  private final Operand<T> targetLogits; // null without soft labels
  private TrainingForward<T> augmentedPass;

  /**
   * @param params the expert's parameters w (variable reads, or w + e in GSAM's second pass)
   * @param images the raw (un-augmented) batch, shape [B, H, W, C]
   * @param augmented the augmented batch, shape [B, H, W, C] (the same operand as
   *     {@code images} without augmentation)
   * @param labels shape [B], class indices
   * @param scalars where per-epoch scheduled scalars are requested
   */
  public ObjectiveInputs(Ops tf, Model model, Params<T> params, Operand<T> images,
      Operand<T> augmented, Operand<TInt32> labels, ScheduledScalars<T> scalars) {
    this(tf, model, params, images, augmented, labels, scalars, null);
  }

  /**
   * As the other constructor, with per-image label logits for a soft-label objective.
   *
   * @param targetLogits shape [B, numClasses], the soft labels' logits of the batch (same
   *     order as {@code images}); null if the objective uses hard labels only
   */
  public ObjectiveInputs(Ops tf, Model model, Params<T> params, Operand<T> images,
      Operand<T> augmented, Operand<TInt32> labels, ScheduledScalars<T> scalars,
      Operand<T> targetLogits) {
    this.targetLogits = targetLogits;
    this.tf = checkNotNull(tf, "tf");
    this.model = checkNotNull(model, "model");
    this.params = checkNotNull(params, "params");
    this.images = checkNotNull(images, "images");
    this.augmented = checkNotNull(augmented, "augmented");
    this.labels = checkNotNull(labels, "labels");
    this.scalars = checkNotNull(scalars, "scalars");
  }

  /** The same inputs at other parameters (GSAM's w + e); logits are built anew. */
  public ObjectiveInputs<T> withParams(Params<T> other) {
    return new ObjectiveInputs<>(tf, model, other, images, augmented, labels, scalars,
        targetLogits);
  }

  public Ops tf() {
    return tf;
  }

  public Model model() {
    return model;
  }

  public Params<T> params() {
    return params;
  }

  /** The raw batch, shape [B, H, W, C]. */
  public Operand<T> images() {
    return images;
  }

  /** The augmented batch, shape [B, H, W, C]. */
  public Operand<T> augmented() {
    return augmented;
  }

  /** Shape [B]. */
  public Operand<TInt32> labels() {
    return labels;
  }

  /**
   * The batch's label logits, shape [B, numClasses] (soft labels; augmentation does not
   * change them).
   *
   * @throws IllegalStateException if the trainer was built without them (an objective that
   *     reads them must say so by {@link Objective#needsTargets()})
   */
  public Operand<T> targetLogits() {
    if (targetLogits == null) {
      throw new IllegalStateException("this objective reads label logits, but none are fed;"
          + " its needsTargets() must return true");
    }
    return targetLogits;
  }

  public ScheduledScalars<T> scalars() {
    return scalars;
  }

  /**
   * Logits of the augmented batch through {@link Model#forwardTraining} (fused kernels:
   * differentiate them once only; batch norm on batch statistics), built on first request.
   *
   * @return shape [B, numClasses]
   */
  public Operand<T> augmentedLogits() {
    return augmentedPass().logits();
  }

  /**
   * The training-mode pass over the augmented batch: its logits and, for batch-norm models,
   * the batch statistics the trainer folds into the running statistics.
   */
  public TrainingForward<T> augmentedPass() {
    if (augmentedPass == null) {
      augmentedPass = model.forwardTraining(tf, params, augmented);
    }
    return augmentedPass;
  }
}
