package org.dd4j;

/**
 * How every table, report and log line writes a test accuracy: a fraction in [0, 1] (the
 * share of the test split classified right) shown in percent with two decimals, and K
 * networks' accuracies as "mean +- std %" (population std, as numpy's np.std in the authors'
 * code). Here rather than in {@code evaluate} so that {@code report}, which reads run files
 * alone, and {@code evaluate} write the same text without depending on each other.
 */
public final class Accuracy {

  private Accuracy() {}

  /** {@code 100 * fraction} with two decimals and no unit: 0.78404 as "78.40". */
  public static String percent(double fraction) {
    return String.format("%.2f", 100 * fraction);
  }

  /** "78.40 +- 0.42 %": a mean and standard deviation given as fractions. */
  public static String meanStd(double mean, double std) {
    return percent(mean) + " +- " + percent(std) + " %";
  }
}
