package org.dd4j.experiment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Set;
import org.dd4j.data.DatasetRegistry;
import org.dd4j.data.PreprocessingKinds;

/**
 * Which dataset an experiment uses and how it is preprocessed.
 *
 * @param dataset a name registered in {@link DatasetRegistry#withBuiltins()} (e.g.
 *     "fashion-mnist", "cifar10-jpeg", "image-folder:PATH")
 * @param preprocess "none", "normalize" (per-channel mean/std: the reference code's
 *     constants for a dataset it knows, else fitted), "normalize-reference",
 *     "normalize-fitted" or "zca" (ZCA whitening, eps 0.1, fitted on the train split) (spec
 *     section 2); {@link #resolvedPreprocess} is what gets recorded
 */
public record DataChoice(String dataset, String preprocess) {

  /** The built-in preprocessing kinds {@link PreprocessingKinds} knows. */
  public static final Set<String> PREPROCESSING = Set.of("none", "normalize",
      "normalize-reference", "normalize-fitted", "zca");

  /**
   * @throws IllegalArgumentException for an unknown dataset or preprocessing, naming the
   *     known ones
   */
  public DataChoice {
    checkNotNull(dataset, "dataset");
    checkNotNull(preprocess, "preprocess");
    Set<String> known = DatasetRegistry.withBuiltins().names();
    int colon = dataset.indexOf(':');
    String base = colon < 0 ? dataset : dataset.substring(0, colon);
    checkArgument(known.contains(base), "unknown dataset '%s'; known: %s", dataset,
        new java.util.TreeSet<>(known));
    checkArgument(PREPROCESSING.contains(preprocess),
        "preprocess must be one of %s; got '%s'", new java.util.TreeSet<>(PREPROCESSING),
        preprocess);
  }

  /**
   * The kind {@link #preprocess} stands for on this dataset ("normalize" becomes
   * "normalize-reference" or "normalize-fitted", {@link PreprocessingKinds#resolve}): what
   * config.json records, so that a phase written under the old meaning of "normalize"
   * (fitted) is seen as changed.
   */
  public String resolvedPreprocess() {
    return PreprocessingKinds.resolve(preprocess, dataset);
  }

  /**
   * Whether a buffer whose manifest records preprocessing {@code recorded} holds data
   * preprocessed as this choice ({@link PreprocessingKinds#sameKind}; an old "normalize"
   * means fitted constants).
   */
  public boolean matchesRecorded(Object recorded) {
    return PreprocessingKinds.sameKind(String.valueOf(recorded), preprocess, dataset);
  }
}
