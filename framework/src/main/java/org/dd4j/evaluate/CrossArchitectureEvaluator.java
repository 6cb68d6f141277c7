package org.dd4j.evaluate;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.Model;

/**
 * Cross-architecture evaluation (spec section 6): the same small set trained into K fresh
 * networks of each of several architectures with {@link Evaluator}'s protocol, one result
 * per architecture. A set distilled with ConvNet is expected to lose some accuracy on the
 * others; MTT reports ConvNet, ResNet18, VGG11 and AlexNet.
 *
 * <p>References: Cazenavette et al., CVPR 2022, Table 3 (cross-architecture); DC (Zhao et
 * al., ICLR 2021) for the architecture pool.
 */
public final class CrossArchitectureEvaluator {

  private CrossArchitectureEvaluator() {}

  /**
   * One row of the table.
   *
   * @param architecture the name the model was asked for, e.g. "vgg11"
   * @param learningRate the SGD learning rate its networks trained with
   * @param result the K accuracies; null if training diverged
   * @param failure why training diverged (the NaN/inf loss message); null if it did not
   * @param labels which labels the networks trained on ({@link Evaluator#labelsUsed}: "soft",
   *     "hard (argmax)" or "hard")
   */
  public record ArchitectureResult(String architecture, double learningRate,
      EvalResult result, String failure, String labels) {

    public ArchitectureResult {
      checkArgument((result == null) != (failure == null),
          "exactly one of result and failure must be given");
      checkNotNull(labels, "labels");
    }

    /** A row trained on the class labels. */
    public ArchitectureResult(String architecture, double learningRate, EvalResult result,
        String failure) {
      this(architecture, learningRate, result, failure, Evaluator.HARD);
    }

    public ArchitectureResult(String architecture, double learningRate, EvalResult result) {
      this(architecture, learningRate, checkNotNull(result, "result"), null);
    }

    /** True if a network of this architecture diverged (no result). */
    public boolean diverged() {
      return failure != null;
    }

    /** "mean +- std % (K networks)", or "diverged at lr ...: message". */
    public String describe() {
      return describe(learningRate, result, failure);
    }

    /** {@link #describe()} for a row held elsewhere (e.g. a CLI table row). */
    public static String describe(double learningRate, EvalResult result, String failure) {
      return failure != null ? String.format("diverged at lr %.4g: %s", learningRate, failure)
          : result.toString();
    }
  }

  /** Told before each architecture's K networks start training, and after they finish. */
  @FunctionalInterface
  public interface Listener {
    void onArchitectureStart(String architecture, Model model, double learningRate);

    /** Its row, as soon as it is known (e.g. to log or save it before the next starts). */
    default void onArchitectureDone(ArchitectureResult result) {}
  }

  /**
   * @param models architecture name to model, in table order; every model takes the
   *     images of {@code train} and {@code test}
   * @param train the small set, NHWC, preprocessed as {@code test}
   * @param learningRate the learning rate for every architecture not in {@code lrOverrides}
   *     (the learned syn_lr for a distilled set, lr_teacher for baselines)
   * @param lrOverrides learning rate per architecture name, for those that need their own
   * @param test the real test set
   * @return one result per model, in the order of {@code models}; an architecture whose
   *     training diverges (NaN or infinite loss, e.g. a learned syn_lr too large for it) gets
   *     a {@link ArchitectureResult#diverged()} row and the others still run
   * @throws IllegalArgumentException if {@code models} is empty, a learning rate is not
   *     positive or an override names no model
   */
  public static List<ArchitectureResult> evaluate(Map<String, Model> models, ImageSet train,
      double learningRate, Map<String, Double> lrOverrides, ImageSet test, EvalConfig config,
      SessionOptions options, Listener listener) {
    return evaluate(models, train, null, learningRate, lrOverrides, test, config, options,
        listener);
  }

  /**
   * As {@link #evaluate(Map, ImageSet, double, Map, ImageSet, EvalConfig, SessionOptions,
   * Listener)} for a set that may carry learned soft labels, trained on them or on their
   * argmax as {@link Evaluator#evaluate(Model, ImageSet, float[], double, ImageSet, EvalConfig,
   * SessionOptions)} decides; each row says which ({@link ArchitectureResult#labels()}).
   *
   * @param labelLogits shape [train.count(), numClasses] row-major, or null
   */
  public static List<ArchitectureResult> evaluate(Map<String, Model> models, ImageSet train,
      float[] labelLogits, double learningRate, Map<String, Double> lrOverrides, ImageSet test,
      EvalConfig config, SessionOptions options, Listener listener) {
    String labels = Evaluator.labelsUsed(labelLogits != null, config);
    checkArgument(!models.isEmpty(), "no architectures to evaluate");
    checkNotNull(listener, "listener");
    for (String name : lrOverrides.keySet()) {
      checkArgument(models.containsKey(name), "learning rate given for %s, which is not one "
          + "of the architectures %s", name, models.keySet());
    }
    List<ArchitectureResult> out = new ArrayList<>(models.size());
    for (Map.Entry<String, Model> e : models.entrySet()) {
      double lr = lrOverrides.getOrDefault(e.getKey(), learningRate);
      listener.onArchitectureStart(e.getKey(), e.getValue(), lr);
      ArchitectureResult row;
      try {
        row = new ArchitectureResult(e.getKey(), lr, Evaluator.evaluate(e.getValue(), train,
            labelLogits, lr, test, config, options), null, labels);
      } catch (IllegalStateException diverged) {
        row = new ArchitectureResult(e.getKey(), lr, null, diverged.getMessage(), labels);
      }
      listener.onArchitectureDone(row);
      out.add(row);
    }
    return out;
  }
}
