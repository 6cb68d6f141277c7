package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Set;
import java.util.function.Supplier;
import org.dd4j.settings.PieceRegistry;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Open registry of {@link MatchingLoss}es by name, and their composition. Built in:
 * "normalized-parameter-distance" (MTT eq. 2) and "intermediate" (AST eq. 22, equal
 * weights); users add their own with {@link #register}.
 */
public final class MatchingLosses {

  /**
   * The registry: {@code normalized-parameter-distance},
   * {@code intermediate(weights=equal|linear, points=even|code)} ({@code points=even} is
   * omitted), sums and scalings ({@code intermediate + 0.5 * normalized-parameter-distance}).
   */
  public static final PieceRegistry<MatchingLoss> REGISTRY = new PieceRegistry<>(
      "matching loss", MatchingLoss.class, MatchingLoss::describe)
      .withAlgebra(MatchingLoss::plus, (w, l) -> l.times(w));

  static {
    REGISTRY.register(NormalizedParameterDistance.NAME, a -> new NormalizedParameterDistance());
    REGISTRY.register(IntermediateMatching.NAME, a -> new IntermediateMatching(
        IntermediateWeights.named(a.text("weights", IntermediateWeights.EQUAL.id())),
        IntermediateMatching.Points.named(a.text("points", "even"))));
  }

  private MatchingLosses() {}

  /**
   * Adds a matching loss without arguments.
   *
   * @throws IllegalArgumentException if the name is registered already
   */
  public static void register(String name, Supplier<? extends MatchingLoss> factory) {
    REGISTRY.register(name, a -> factory.get());
  }

  /**
   * The loss a description names, e.g. "intermediate(weights=linear)".
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static MatchingLoss create(String description) {
    return REGISTRY.parse(description);
  }

  /** The registered names, sorted. */
  public static Set<String> names() {
    return REGISTRY.names();
  }

  /** {@code a + b} ({@link MatchingLoss#plus}). */
  record Sum(MatchingLoss a, MatchingLoss b) implements MatchingLoss {

    Sum {
      checkNotNull(a, "a");
      checkNotNull(b, "b");
    }

    @Override
    public <T extends TFloating> Operand<T> apply(Ops tf, Matching<T> m) {
      return tf.math.add(a.apply(tf, m), b.apply(tf, m));
    }

    @Override
    public String name() {
      return a.name() + "+" + b.name();
    }

    @Override
    public String describe() {
      return "(" + a.describe() + " + " + b.describe() + ")";
    }
  }

  /** {@code weight * loss} ({@link MatchingLoss#times}). */
  record Scaled(MatchingLoss loss, double weight) implements MatchingLoss {

    Scaled {
      checkNotNull(loss, "loss");
      checkArgument(Double.isFinite(weight), "weight must be finite, got %s", weight);
    }

    @Override
    public <T extends TFloating> Operand<T> apply(Ops tf, Matching<T> m) {
      Operand<T> l = loss.apply(tf, m);
      return tf.math.mul(tf.dtypes.cast(tf.constant(weight), l.type()), l);
    }

    @Override
    public String name() {
      return loss.name();
    }

    @Override
    public String describe() {
      return weight + " * " + loss.describe();
    }
  }
}
