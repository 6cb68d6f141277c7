package org.dd4j.experiment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Set;
import org.dd4j.data.DatasetRegistry;

/**
 * Which dataset an experiment uses and how it is preprocessed.
 *
 * @param dataset a name registered in {@link DatasetRegistry#withBuiltins()} (e.g.
 *     "fashion-mnist", "cifar10-jpeg", "image-folder:PATH")
 * @param preprocess "none", "normalize" (per-channel mean/std) or "zca" (ZCA whitening,
 *     eps 0.1), fitted on the train split (spec section 2)
 */
public record DataChoice(String dataset, String preprocess) {

  /** The preprocessing kinds {@link org.dd4j.data.PreprocessingKinds} knows. */
  public static final Set<String> PREPROCESSING = Set.of("none", "normalize", "zca");

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
        "preprocess must be one of none, normalize, zca; got '%s'", preprocess);
  }
}
