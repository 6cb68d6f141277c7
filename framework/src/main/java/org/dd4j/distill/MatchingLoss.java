package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * How far a student's path landed from the expert's: a pure function of the student path
 * w_0..w_N and the expert snapshots traj[t..t+M] ({@link Matching}), built into the graph
 * and differentiated through the unrolled student. Implementations hold no mutable state.
 *
 * <p>Built-ins: {@link NormalizedParameterDistance} (MTT eq. 2, the default) and
 * {@link IntermediateMatching} (AST eq. 22); by name through {@link MatchingLosses}. They
 * compose: {@code a.plus(b.times(0.1))}. A user-written loss for float32 graphs is a lambda
 * wrapped with {@link #float32(String, Float32MatchingFn)}.
 */
public interface MatchingLoss {

  /**
   * @param m the student path and the expert segment of this iteration
   * @return scalar loss, of the graph's float type
   */
  <T extends TFloating> Operand<T> apply(Ops tf, Matching<T> m);

  /** Short name, e.g. "normalized-parameter-distance". */
  String name();

  /**
   * The loss with its settings, for metadata and checkpoint checks, e.g.
   * "intermediate(weights=linear)"; two losses with equal descriptions compute the same.
   */
  default String describe() {
    return name();
  }

  /** {@code this + other}. */
  default MatchingLoss plus(MatchingLoss other) {
    return new MatchingLosses.Sum(this, other);
  }

  /**
   * {@code weight * this}.
   *
   * @param weight finite
   */
  default MatchingLoss times(double weight) {
    return new MatchingLosses.Scaled(this, weight);
  }

  /**
   * A matching loss from a float32-only lambda. Float32 only: applying it in a float64
   * graph (e.g. a finite-difference check) throws an IllegalArgumentException.
   *
   * @param name its name and description in metadata
   * @param fn builds a scalar float32 loss
   */
  static MatchingLoss float32(String name, Float32MatchingFn fn) {
    checkNotNull(name, "name");
    checkNotNull(fn, "fn");
    return new MatchingLoss() {
      @Override
      @SuppressWarnings("unchecked")
      public <T extends TFloating> Operand<T> apply(Ops tf, Matching<T> m) {
        Class<T> type = m.studentFinal().get(0).type();
        checkArgument(type == TFloat32.class, "matching loss '%s' was written for float32"
            + " graphs (MatchingLoss.float32), but this graph is %s", name,
            type.getSimpleName());
        return (Operand<T>) fn.apply(tf, (Matching<TFloat32>) m);
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public String toString() {
        return "MatchingLoss.float32(" + name + ")";
      }
    };
  }
}
