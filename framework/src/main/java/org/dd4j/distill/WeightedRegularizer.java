package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.dd4j.schedule.Schedule;
import org.dd4j.schedule.ScheduleText;

/**
 * One term lambda(it) R of the distillation objective: a {@link Regularizer} and its weight,
 * a constant or any {@link Schedule} of the outer iteration (0-based, whether or not earlier
 * iterations were skipped). Described as the term with its weight,
 * {@code total-variation(norm=l1, weight=0.001)}, which {@link Regularizers#REGISTRY} reads
 * back (a weight written as a function is described by its samples, {@link ScheduleText}).
 *
 * @param term R
 * @param weight lambda(it), finite and >= 0 at every iteration (checked when it is used)
 */
public record WeightedRegularizer(Regularizer term, Schedule weight) {

  public WeightedRegularizer {
    checkNotNull(term, "term");
    checkNotNull(weight, "weight");
    weightAt(term.name(), weight, 0);
  }

  /** {@code term} with a constant weight. */
  public WeightedRegularizer(Regularizer term, double weight) {
    this(term, ScheduleText.constant(weight));
  }

  /**
   * lambda at outer iteration {@code iteration}.
   *
   * @throws IllegalArgumentException if it is negative or not finite, naming the term
   */
  public double weightAt(long iteration) {
    return weightAt(term.name(), weight, iteration);
  }

  private static double weightAt(String name, Schedule weight, long iteration) {
    double w = weight.at(iteration);
    checkArgument(Double.isFinite(w) && w >= 0, "regularizer '%s': weight must be finite and"
        + " >= 0, got %s at iteration %s", name, w, iteration);
    return w;
  }

  /** Short name of the term. */
  public String name() {
    return term.name();
  }

  /** {@code name(args..., weight=W)}, what {@link Regularizers#REGISTRY} reads back. */
  public String describe() {
    String t = term.describe();
    String w = "weight=" + ScheduleText.describe(weight);
    return t.endsWith(")") ? t.substring(0, t.length() - 1) + ", " + w + ")"
        : t + "(" + w + ")";
  }

  @Override
  public String toString() {
    return describe();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightedRegularizer r && r.describe().equals(describe());
  }

  @Override
  public int hashCode() {
    return describe().hashCode();
  }
}
