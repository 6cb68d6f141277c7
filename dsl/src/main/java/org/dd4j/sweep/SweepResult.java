package org.dd4j.sweep;

import java.io.Serializable;

/**
 * What one sweep point gave: the distilled set's accuracy on the experiment's model.
 *
 * @param point the point
 * @param method the point's method label (the preset, or "custom (...)" naming the settings
 *     that differ: {@code MethodPreset.label}), as in its config.json and report.md
 * @param model the architecture of the accuracy (the first evaluated)
 * @param accuracyMean mean test accuracy of the K networks in [0, 1]; NaN if diverged
 * @param accuracyStd their standard deviation; NaN if diverged
 * @param runs K
 * @param synLr the learning rate the networks trained with (the learned syn_lr)
 * @param matchingLoss the matching loss of the last iteration not skipped (NaN if none)
 * @param seconds wall time of the point (distillation and evaluation)
 * @param runDir the point's run directory
 * @param failure why the point has no accuracy, else null: {@link #DIVERGED} and what
 *     diverged (distillation, or evaluation at a learning rate) with its message, or
 *     {@link #ERROR} and the message of any other failure
 */
public record SweepResult(SweepPoint point, String method, String model, double accuracyMean,
    double accuracyStd, int runs, double synLr, double matchingLoss, double seconds,
    String runDir, String failure) implements Serializable {

  /** How {@link #failure} starts when the distillation or the evaluation diverged. */
  public static final String DIVERGED = "diverged: ";
  /** How {@link #failure} starts for any other failure of the point. */
  public static final String ERROR = "error: ";

  public boolean failed() {
    return failure != null;
  }

  /**
   * The point's outcome as the table's accuracy column names it: "diverged", or "error:
   * message" (on one line, without Markdown's '|'); null if the point succeeded.
   */
  public String failureCell() {
    if (failure == null) {
      return null;
    }
    return failure.startsWith(DIVERGED) ? DIVERGED.strip().replace(":", "")
        : failure.replaceAll("\\s*\\R\\s*", "; ").replace("|", "\\|");
  }
}
