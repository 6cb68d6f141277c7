package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dd4j.augment.Dsa;
import org.dd4j.augment.DsaFeeds;
import org.dd4j.engine.Grad;
import org.dd4j.engine.HeavyBall;
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
 * <p>Options ({@link Options}): each step's cross-entropy multiplied by a fed scalar factor
 * nu ({@link InnerLossTransform}, AST eq. 20), and heavy-ball momentum as in the AST
 * authors' code, {@code b_{i+1} = mu b_i + g_i} (b_0 = 0, so b_1 = g_0),
 * {@code w_{i+1} = w_i - syn_lr * b_{i+1}}: {@link HeavyBall}'s rule without weight decay,
 * rebuilt for each unrolled step so it stays differentiable.
 *
 * <p>References: MTT (Cazenavette et al., CVPR 2022), Algorithm 1; spec section 5, step 3;
 * AST (Shen et al., arXiv 2310.10541) eq. 20 and its code (spec section 5b).
 */
public final class StudentUnroll {

  private StudentUnroll() {}

  /**
   * How the inner loop differs from MTT's plain SGD on mean cross-entropy.
   *
   * @param lossFactor empty, or a scalar operand nu (e.g. a placeholder fed each iteration)
   *     multiplying every step's cross-entropy
   * @param momentum mu of the inner heavy-ball momentum, in [0, 1); 0 is plain SGD (MTT), 0.9
   *     the AST authors' code
   * @param labelLogits empty for hard labels (cross-entropy against the class labels), or
   *     the learnable soft labels [n, C] (DATM): each step's loss is then the soft
   *     cross-entropy against softmax(labelLogits[B_i] / temperature)
   *     ({@link Losses#softCrossEntropy}), differentiable w.r.t. the label logits
   * @param temperature T of the soft targets, > 0 (DATM's code: 1); unused with hard labels
   */
  public record Options<T extends TFloating>(Optional<Operand<T>> lossFactor, double momentum,
      Optional<Operand<T>> labelLogits, double temperature) {

    public Options {
      checkArgument(lossFactor != null, "lossFactor must not be null (use Optional.empty())");
      checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s",
          momentum);
      checkArgument(labelLogits != null, "labelLogits must not be null (use Optional.empty())");
      checkArgument(temperature > 0 && Double.isFinite(temperature),
          "temperature must be finite and > 0, got %s", temperature);
    }

    /** Hard labels, with a loss factor and inner momentum. */
    public Options(Optional<Operand<T>> lossFactor, double momentum) {
      this(lossFactor, momentum, Optional.empty(), 1);
    }

    /** MTT's inner loop: no factor, no momentum. */
    public static <T extends TFloating> Options<T> plain() {
      return new Options<>(Optional.empty(), 0);
    }
  }

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
    return unroll(tf, model, w0, images, labels, batchIndices, synLr, synSteps, augment,
        Options.plain());
  }

  /**
   * Builds the N steps with DSA as {@link #unroll(Ops, Model, Params, Operand, Operand,
   * Operand, Operand, int, List)} and the inner-loop {@code options} (loss factor, momentum).
   *
   * @return w_0, w_1, ..., w_N (N + 1 entries)
   * @throws IllegalArgumentException if {@code augment} is neither empty nor of size N
   */
  public static <T extends TFloating> List<Params<T>> unroll(Ops tf, Model model, Params<T> w0,
      Operand<T> images, Operand<TInt32> labels, Operand<TInt32> batchIndices, Operand<T> synLr,
      int synSteps, List<DsaFeeds<T>> augment, Options<T> options) {
    return unroll(tf, model, w0, images, labels, Minibatches.rows(batchIndices), synLr,
        synSteps, augment, options);
  }

  /**
   * Which images each student step sees, in the graph.
   */
  public interface Minibatches {

    /** Step i's image indices, shape [b_i], values in [0, n). */
    Operand<TInt32> step(Ops tf, int i);

    /** Every step the same number of images: row i of {@code batchIndices} [N, b]. */
    static Minibatches rows(Operand<TInt32> batchIndices) {
      return (tf, i) -> tf.gather(batchIndices, tf.constant(i), tf.constant(0)); // [b]
    }

    /**
     * Steps of their own sizes (MTT's remainder chunk, {@link StudentBatches}): step i sees
     * the {@code sizes[i]} indices of {@code concatenated} after those of the steps before.
     *
     * @param concatenated [sum(sizes)] indices, in step order
     * @param sizes images per step, each > 0 (static: the graph is built for them)
     */
    static Minibatches chunks(Operand<TInt32> concatenated, int[] sizes) {
      int[] from = new int[sizes.length];
      for (int i = 1; i < sizes.length; i++) {
        from[i] = from[i - 1] + sizes[i - 1];
      }
      return (tf, i) -> tf.slice(concatenated, tf.constant(new int[] {from[i]}),
          tf.constant(new int[] {sizes[i]})); // [b_i]
    }
  }

  /**
   * Builds the N steps with step i's images from {@code batches}, DSA from
   * {@code augment} and the inner-loop {@code options}. Each step's loss is the mean
   * cross-entropy over its own minibatch.
   *
   * @return w_0, w_1, ..., w_N (N + 1 entries)
   * @throws IllegalArgumentException if {@code augment} is neither empty nor of size N
   */
  public static <T extends TFloating> List<Params<T>> unroll(Ops tf, Model model, Params<T> w0,
      Operand<T> images, Operand<TInt32> labels, Minibatches batches, Operand<T> synLr,
      int synSteps, List<DsaFeeds<T>> augment, Options<T> options) {
    checkArgument(synSteps > 0, "synSteps must be > 0, got %s", synSteps);
    checkArgument(augment.isEmpty() || augment.size() == synSteps,
        "augment must be empty or have one feeds per step (%s), got %s", synSteps,
        augment.size());
    SecondOrderGradients.register();
    int classes = model.spec().numClasses();
    List<Params<T>> path = new ArrayList<>(synSteps + 1);
    Params<T> w = w0;
    path.add(w);
    Operand<T> mu = options.momentum() == 0 ? null
        : tf.dtypes.cast(tf.constant(options.momentum()), synLr.type());
    List<Operand<T>> velocity = null; // b_i, one per tensor
    for (int i = 0; i < synSteps; i++) {
      Operand<TInt32> idx = batches.step(tf, i); // [b_i]
      Operand<T> x = tf.gather(images, idx, tf.constant(0)); // [b_i, H, W, C]
      if (!augment.isEmpty()) {
        x = Dsa.apply(tf, x, augment.get(i)); // [b_i, H, W, C]
      }
      Operand<T> ce = stepLoss(tf, model.forward(tf, w, x), labels, idx, classes,
          options.labelLogits(), options.temperature()); // scalar
      if (options.lossFactor().isPresent()) {
        ce = tf.math.mul(options.lossFactor().get(), ce);
      }
      List<Operand<T>> g = Grad.of(tf, ce, w.tensors());
      if (mu != null) {
        velocity = HeavyBall.velocities(tf, mu, velocity, g); // b_1 = g_0 (b_0 = 0)
        g = velocity;
      }
      w = w.minusScaled(tf, synLr, g); // w - syn_lr * b, HeavyBall.delta's product
      path.add(w);
    }
    return path;
  }

  /**
   * One step's inner loss on its minibatch: mean cross-entropy against the hard labels, or
   * with label logits the soft cross-entropy against softmax(labelLogits[idx] / T). Shared by
   * {@link StudentStepGraph} so both unroll modes compute the same ops.
   *
   * @param logits the student's output on the minibatch, [b, C]
   * @param labels all hard labels, [n]
   * @param idx the minibatch's indices, [b]
   * @param labelLogits empty, or all label logits [n, C]
   * @return scalar
   */
  static <T extends TFloating> Operand<T> stepLoss(Ops tf, Operand<T> logits,
      Operand<TInt32> labels, Operand<TInt32> idx, int classes,
      Optional<? extends Operand<T>> labelLogits, double temperature) {
    if (labelLogits.isPresent()) {
      Operand<T> yb = tf.gather(labelLogits.get(), idx, tf.constant(0)); // [b, C]
      return Losses.softCrossEntropy(tf, logits, yb, temperature);
    }
    Operand<TInt32> y = tf.gather(labels, idx, tf.constant(0)); // [b]
    return Losses.crossEntropy(tf, logits, y, classes);
  }
}
