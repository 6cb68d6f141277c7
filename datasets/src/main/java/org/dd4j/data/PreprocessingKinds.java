package org.dd4j.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Open registry of preprocessing kinds by name, each fitted on a training split:
 * {@code "none"}, {@code "normalize"} (per-channel mean/std) and {@code "zca"} (ZCA
 * whitening, eps 0.1, as MTT on CIFAR). Users add kinds with {@link #register}.
 */
public final class PreprocessingKinds {

  private static final Map<String, Function<ImageSet, Preprocessing>> KINDS =
      new ConcurrentHashMap<>(Map.of(
          "none", train -> Identity.INSTANCE,
          "normalize", ChannelNormalization::fit,
          "zca", train -> ZcaWhitening.fit(train, ZcaWhitening.MTT_EPS)));

  private PreprocessingKinds() {}

  /** Adds or replaces a kind: a function from the training split to a fitted transform. */
  public static void register(String name, Function<ImageSet, Preprocessing> fit) {
    KINDS.put(name, fit);
  }

  /**
   * Fits the named kind on {@code train}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static Preprocessing fit(String name, ImageSet train) {
    Function<ImageSet, Preprocessing> f = KINDS.get(name);
    checkArgument(f != null, "unknown preprocessing '%s'; known: %s", name,
        new TreeMap<>(KINDS).keySet());
    return f.apply(train);
  }

  /**
   * The dataset with the named preprocessing fitted on its train split and applied to both
   * splits.
   */
  public static Prepared prepare(Dataset raw, String name) {
    Preprocessing p = fit(name, raw.train());
    return new Prepared(new Dataset(raw.name(), p.apply(raw.train()), p.apply(raw.test()),
        raw.classNames()), p);
  }

  /**
   * Loads a registered dataset, fits and applies the named preprocessing, and logs one line
   * with the sizes and the seconds each took (what {@code dd4j} commands and
   * {@code dd4j run} print).
   *
   * @param dataset a name {@link DatasetRegistry#withBuiltins()} knows
   * @throws DatasetException if the dataset is unknown or cannot be read
   * @throws IllegalArgumentException for an unknown preprocessing
   */
  public static Prepared load(String dataset, String preprocessing, java.io.PrintWriter log) {
    long t0 = System.nanoTime();
    Dataset raw = DatasetRegistry.withBuiltins().load(dataset);
    long t1 = System.nanoTime();
    Prepared p = prepare(raw, preprocessing);
    long t2 = System.nanoTime();
    log.printf("dataset %s: %d train / %d test images %dx%dx%d, %d classes "
            + "(loaded in %.1f s, %s in %.1f s)%n", raw.name(), raw.train().count(),
        raw.test().count(), raw.train().height(), raw.train().width(),
        raw.train().channels(), raw.numClasses(), (t1 - t0) / 1e9, preprocessing,
        (t2 - t1) / 1e9);
    log.flush();
    return p;
  }

  /** A preprocessed dataset and the fitted transform (to invert images for viewing). */
  public record Prepared(Dataset data, Preprocessing preprocessing) {}

  /** Leaves pixels as they are. */
  private static final class Identity implements Preprocessing {
    static final Identity INSTANCE = new Identity();

    @Override
    public String name() {
      return "none";
    }

    @Override
    public float[] apply(float[] images) {
      return images.clone();
    }

    @Override
    public float[] invert(float[] images) {
      return images.clone();
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of("name", "none");
    }
  }
}
