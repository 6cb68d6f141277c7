package org.dd4j.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
public record DataChoice(String dataset, String preprocess) implements Serializable {

  /** The datasets prepared in this JVM, by choice: read-only once built. */
  private static final Map<DataChoice, PreprocessingKinds.Prepared> SHARED =
      new ConcurrentHashMap<>();

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

  /** {@code dataset} with its default preprocessing ({@link PreprocessingKinds#defaultFor}). */
  public static DataChoice withDefaultPreprocessing(String dataset) {
    return new DataChoice(dataset, PreprocessingKinds.defaultFor(dataset));
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

  /**
   * The dataset loaded and preprocessed once per JVM and shared by everything in it that asks
   * (the units of an engine in one executor, the points of a sweep): e.g. one ZCA fit instead
   * of one per unit. The prepared data then stay in memory for the JVM's life.
   *
   * @param log where the loading lines go (only when this call loads it)
   */
  public PreprocessingKinds.Prepared shared(PrintWriter log) {
    return SHARED.computeIfAbsent(this, c -> {
      StringWriter text = new StringWriter();
      PreprocessingKinds.Prepared p = PreprocessingKinds.load(c.dataset(), c.preprocess(),
          new PrintWriter(text, true));
      log.print(text);
      log.flush();
      return p;
    });
  }
}
