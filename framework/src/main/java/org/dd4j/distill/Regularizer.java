package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * A term R of the distillation objective beside the matching loss,
 * {@code L = matching loss + sum_k lambda_k(it) R_k}: a scalar built into the graph from
 * what the distiller optimizes ({@link RegularizerInputs}: the synthetic images X
 * [n, H, W, C] in the data's preprocessed space, the label logits [n, C] when labels are
 * learned, syn_lr, and for terms that need it the student path w_0..w_N and the expert
 * snapshots). Its gradient reaches X, the label logits and syn_lr in both unroll modes
 * (a term that reads the student path gets its dL/dw_k in the adjoint sweep like the matching
 * loss). The weight lambda_k is not part of the term: {@link WeightedRegularizer} pairs the
 * two. Implementations hold no mutable state.
 *
 * <p>Built-ins, by name through {@link Regularizers}: {@link TotalVariation},
 * {@link ImageL2Prior} (DeepInversion's image prior), {@link PixelRangePenalty},
 * {@link LabelEntropy}. A user-written term for float32 graphs is a lambda
 * wrapped with {@link #float32(String, Float32RegularizerFn)}.
 */
public interface Regularizer {

  /**
   * @param in what the term may read
   * @return R, an unweighted scalar of the graph's float type
   * @throws IllegalArgumentException if the term needs an input the run does not have (label
   *     logits with hard labels)
   */
  <T extends TFloating> Operand<T> apply(Ops tf, RegularizerInputs<T> in);

  /** Short name, e.g. "total-variation"; names the term in metrics.jsonl and report.md. */
  String name();

  /**
   * The term with its own arguments but without its weight, e.g. "total-variation(norm=l1)";
   * two terms with equal descriptions compute the same.
   */
  default String describe() {
    return name();
  }

  /**
   * Where the term comes from, for error messages: "regularizer 'name'", and for a script's
   * lambda the script line that defined it.
   */
  default String origin() {
    return "regularizer '" + name() + "'";
  }

  /**
   * A term from a float32-only lambda (a script's {@code regularizer("name") { tf, s -> ... }}).
   * Applying it in a float64 graph (a finite-difference check) throws an
   * IllegalArgumentException.
   *
   * @param name its name and description in metadata
   * @param fn builds a scalar float32 term
   */
  static Regularizer float32(String name, Float32RegularizerFn fn) {
    return float32(name, "", fn);
  }

  /**
   * {@link #float32(String, Float32RegularizerFn)} defined at {@code where} (e.g.
   * "my.exp.kts:12"), which its error messages name.
   */
  static Regularizer float32(String name, String where, Float32RegularizerFn fn) {
    checkNotNull(name, "name");
    checkNotNull(where, "where");
    checkNotNull(fn, "fn");
    String origin = (where.isEmpty() ? "" : where + ": ") + "regularizer '" + name + "'";
    return new Regularizer() {
      @Override
      @SuppressWarnings("unchecked")
      public <T extends TFloating> Operand<T> apply(Ops tf, RegularizerInputs<T> in) {
        Class<T> type = in.images().type();
        checkArgument(type == TFloat32.class, "%s was written for float32 graphs"
            + " (Regularizer.float32), but this graph is %s", origin, type.getSimpleName());
        Operand<TFloat32> r = fn.apply(tf, (RegularizerInputs<TFloat32>) in);
        checkArgument(r != null, "%s returned null instead of a scalar", origin);
        checkArgument(r.shape().numDimensions() == 0, "%s must return a scalar, got shape %s"
            + " (reduce it, e.g. with tf.reduceSum)", origin, r.shape());
        return (Operand<T>) r;
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public String origin() {
        return origin;
      }

      @Override
      public String toString() {
        return "Regularizer.float32(" + name + ")";
      }
    };
  }
}
