package org.dd4j.evaluate;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import org.dd4j.Accuracy;

/**
 * Test accuracies of K networks trained on one small set.
 *
 * @param accuracies fraction of the real test set classified right, one per network
 */
public record EvalResult(double[] accuracies) {

  public EvalResult {
    checkArgument(accuracies.length > 0, "no accuracies");
    accuracies = accuracies.clone();
  }

  @Override
  public double[] accuracies() {
    return accuracies.clone();
  }

  public double mean() {
    return Arrays.stream(accuracies).average().orElseThrow();
  }

  /** Population standard deviation (as numpy's np.std in the reference code). */
  public double std() {
    double m = mean();
    return Math.sqrt(Arrays.stream(accuracies).map(a -> (a - m) * (a - m)).sum()
        / accuracies.length);
  }

  /** e.g. "79.31 +- 0.42 % (5 networks)". */
  @Override
  public String toString() {
    return Accuracy.meanStd(mean(), std()) + " (" + accuracies.length + " networks)";
  }
}
