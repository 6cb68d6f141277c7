package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
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
 * <p>References: MTT (Cazenavette et al., CVPR 2022), Algorithm 1; spec section 5, step 3.
 */
public final class StudentUnroll {

  private StudentUnroll() {}

  /**
   * Builds the N steps.
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
    checkArgument(synSteps > 0, "synSteps must be > 0, got %s", synSteps);
    SecondOrderGradients.register();
    int classes = model.spec().numClasses();
    List<Params<T>> path = new ArrayList<>(synSteps + 1);
    Params<T> w = w0;
    path.add(w);
    for (int i = 0; i < synSteps; i++) {
      Operand<TInt32> idx = tf.gather(batchIndices, tf.constant(i), tf.constant(0)); // [b]
      Operand<T> x = tf.gather(images, idx, tf.constant(0)); // [b, H, W, C]
      Operand<TInt32> y = tf.gather(labels, idx, tf.constant(0)); // [b]
      Operand<T> ce = Losses.crossEntropy(tf, model.forward(tf, w, x), y, classes);
      List<Operand<T>> g = Grad.of(tf, ce, w.tensors());
      w = w.minusScaled(tf, synLr, g);
      path.add(w);
    }
    return path;
  }
}
