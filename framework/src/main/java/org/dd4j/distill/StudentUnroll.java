package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.dd4j.augment.Dsa;
import org.dd4j.augment.DsaFeeds;
import org.dd4j.engine.Grad;
import org.dd4j.engine.SecondOrderGradients;
import org.dd4j.models.Losses;
import org.dd4j.models.Model;
import org.dd4j.models.Params;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The student of trajectory matching, unrolled in the graph: from an expert's parameters
 * w_0 it takes N plain SGD steps on synthetic minibatches,
 * {@code w_{i+1} = w_i - syn_lr * grad_w CE(w_i; x_{B_i}, y_{B_i})}, keeping every step
 * differentiable w.r.t. the synthetic images and syn_lr (second order).
 *
 * <p>Optionally each step's minibatch is augmented with differentiable siamese augmentation
 * (DSA) before the forward pass, {@code x_i = DSA(x_{B_i}; draw_i)}, with its own fed draw
 * per step, as MTT does; gradients then flow through the augmentation into the images.
 *
 * <p>References: MTT (Cazenavette et al., CVPR 2022), Algorithm 1; spec section 5, step 3.
 */
public final class StudentUnroll {

  private StudentUnroll() {}

  /**
   * Builds the N steps without augmentation.
   *
   * @param w0 start parameters (an expert's snapshot at epoch t)
   * @param images synthetic images, shape [n, H, W, C] (preprocessed)
   * @param labels their labels, shape [n]
   * @param batchIndices which images each step sees, shape [N, batch_syn], values in [0, n)
   * @param synLr the learnable student step size, a scalar
   * @param synSteps N, the number of unrolled steps (the first dimension of batchIndices)
   * @return w_0, w_1, ..., w_N (N + 1 entries)
   */
  public static <T extends TFloating> List<Params<T>> unroll(Ops tf, Model model, Params<T> w0,
      Operand<T> images, Operand<TInt32> labels, Operand<TInt32> batchIndices, Operand<T> synLr,
      int synSteps) {
    return unroll(tf, model, w0, images, labels, batchIndices, synLr, synSteps, List.of());
  }

  /**
   * Builds the N steps, step i's minibatch augmented with DSA from {@code augment.get(i)}.
   *
   * @param w0 start parameters (an expert's snapshot at epoch t)
   * @param images synthetic images, shape [n, H, W, C] (preprocessed)
   * @param labels their labels, shape [n]
   * @param batchIndices which images each step sees, shape [N, batch_syn], values in [0, n)
   * @param synLr the learnable student step size, a scalar
   * @param synSteps N, the number of unrolled steps (the first dimension of batchIndices)
   * @param augment empty for no augmentation, or N feeds, one per step (each fed a draw for
   *     batch_syn images before every run; sharing one feeds object between steps shares the
   *     draw)
   * @return w_0, w_1, ..., w_N (N + 1 entries)
   * @throws IllegalArgumentException if {@code augment} is neither empty nor of size N
   */
  public static <T extends TFloating> List<Params<T>> unroll(Ops tf, Model model, Params<T> w0,
      Operand<T> images, Operand<TInt32> labels, Operand<TInt32> batchIndices, Operand<T> synLr,
      int synSteps, List<DsaFeeds<T>> augment) {
    checkArgument(synSteps > 0, "synSteps must be > 0, got %s", synSteps);
    checkArgument(augment.isEmpty() || augment.size() == synSteps,
        "augment must be empty or have one feeds per step (%s), got %s", synSteps,
        augment.size());
    SecondOrderGradients.register();
    int classes = model.spec().numClasses();
    List<Params<T>> path = new ArrayList<>(synSteps + 1);
    Params<T> w = w0;
    path.add(w);
    for (int i = 0; i < synSteps; i++) {
      Operand<TInt32> idx = tf.gather(batchIndices, tf.constant(i), tf.constant(0)); // [b]
      Operand<T> x = tf.gather(images, idx, tf.constant(0)); // [b, H, W, C]
      if (!augment.isEmpty()) {
        x = Dsa.apply(tf, x, augment.get(i)); // [b, H, W, C]
      }
      Operand<TInt32> y = tf.gather(labels, idx, tf.constant(0)); // [b]
      Operand<T> ce = Losses.crossEntropy(tf, model.forward(tf, w, x), y, classes);
      List<Operand<T>> g = Grad.of(tf, ce, w.tensors());
      w = w.minusScaled(tf, synLr, g);
      path.add(w);
    }
    return path;
  }
}
