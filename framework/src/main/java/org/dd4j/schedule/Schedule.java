package org.dd4j.schedule;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * A hyperparameter as a plain function of a step or epoch count (which one is stated by
 * the user of the schedule, e.g. "per epoch" for the expert learning rate). Graphs are built
 * once and the value is fed each step. (After optax's schedules.)
 */
@FunctionalInterface
public interface Schedule {

  /** The value at {@code step} (0-based). */
  double at(long step);

  /** The same value at every step. */
  static Schedule constant(double value) {
    return step -> value;
  }

  /**
   * {@code base}, multiplied by {@code factor} at each boundary reached:
   * value = base * factor^(number of boundaries <= step).
   *
   * @throws IllegalArgumentException if the boundaries are not increasing and non-negative
   */
  static Schedule step(double base, double factor, long... boundaries) {
    long[] b = boundaries.clone();
    for (int i = 0; i < b.length; i++) {
      checkArgument(b[i] >= 0 && (i == 0 || b[i] > b[i - 1]),
          "step boundaries must be increasing and >= 0, got %s", Arrays.toString(b));
    }
    return step -> {
      double v = base;
      for (long boundary : b) {
        if (step >= boundary) {
          v *= factor;
        }
      }
      return v;
    };
  }

  /**
   * Linear from {@code from} at step 0 to {@code to} at step {@code steps}, then constant
   * (e.g. AST's loss-scale ramp 0.5 -> 1 over the first 5 epochs).
   */
  static Schedule linearRamp(double from, double to, long steps) {
    checkArgument(steps > 0, "ramp length must be > 0, got %s", steps);
    return step -> step >= steps ? to : from + (to - from) * step / (double) steps;
  }

  /** Cosine decay from {@code base} to {@code base * finalFraction} over {@code steps}. */
  static Schedule cosine(double base, long steps, double finalFraction) {
    checkArgument(steps > 0, "cosine length must be > 0, got %s", steps);
    return step -> {
      double t = Math.min(step, steps) / (double) steps;
      double c = 0.5 * (1 + Math.cos(Math.PI * t));
      return base * (finalFraction + (1 - finalFraction) * c);
    };
  }

  /**
   * {@code first} before {@code boundary}, then {@code second} counted from the boundary
   * (optax's join_schedules).
   */
  static Schedule join(Schedule first, long boundary, Schedule second) {
    checkArgument(boundary >= 0, "boundary must be >= 0, got %s", boundary);
    return step -> step < boundary ? first.at(step) : second.at(step - boundary);
  }

  /**
   * Piecewise constant: {@code first} before {@code boundaries[0]}, then {@code values[i]}
   * from step {@code boundaries[i]} on.
   *
   * @throws IllegalArgumentException if the arrays differ in length or the boundaries are
   *     not increasing and non-negative
   */
  static Schedule piecewise(double first, long[] boundaries, double[] values) {
    checkArgument(boundaries.length == values.length,
        "piecewise needs one value per boundary, got %s boundaries and %s values",
        boundaries.length, values.length);
    long[] b = boundaries.clone();
    double[] v = values.clone();
    for (int i = 0; i < b.length; i++) {
      checkArgument(b[i] >= 0 && (i == 0 || b[i] > b[i - 1]),
          "piecewise boundaries must be increasing and >= 0, got %s", Arrays.toString(b));
    }
    return step -> {
      double value = first;
      for (int i = 0; i < b.length && step >= b[i]; i++) {
        value = v[i];
      }
      return value;
    };
  }
}
