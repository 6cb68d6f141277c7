package org.dd4j.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Open registry of preprocessing kinds by name, each made for a dataset from its training
 * split: {@code "none"}; {@code "normalize"} (per-channel mean/std: the reference code's
 * fixed constants for a dataset it knows, {@link ReferenceNormalization}, else fitted on the
 * split); {@code "normalize-reference"} (the constants, an error for other datasets);
 * {@code "normalize-fitted"} (always fitted); {@code "zca"} (ZCA whitening, eps 0.1, as MTT
 * on CIFAR). Users add kinds with {@link #register}.
 *
 * <p>What is recorded ({@link Preprocessing#name()}, config.json) is the resolved kind
 * ({@link #resolve}): {@code "normalize"} is never recorded, so data normalized with the
 * reference constants is told apart from buffers written before they were the default, whose
 * {@code "normalize"} meant fitted constants ({@link #recordedKind}).
 */
public final class PreprocessingKinds {

  /** Makes a preprocessing for a dataset from its training split. */
  @FunctionalInterface
  public interface Kind {
    /**
     * @param dataset the registered dataset name (e.g. "cifar10"), or null if unknown
     * @param train the training split it is fitted on
     */
    Preprocessing make(String dataset, ImageSet train);
  }

  /** Normalization with reference constants when the dataset has them, else fitted. */
  public static final String NORMALIZE = "normalize";

  /** ZCA whitening (eps 0.1, fitted on the training split), as MTT runs CIFAR. */
  public static final String ZCA = "zca";

  private static final Map<String, Kind> KINDS = new ConcurrentHashMap<>(Map.of(
      "none", (dataset, train) -> Identity.INSTANCE,
      NORMALIZE, (dataset, train) -> resolve(NORMALIZE, dataset)
          .equals(ChannelNormalization.REFERENCE)
          ? ChannelNormalization.reference(dataset, train) : ChannelNormalization.fit(train),
      ChannelNormalization.REFERENCE, ChannelNormalization::reference,
      ChannelNormalization.FITTED, (dataset, train) -> ChannelNormalization.fit(train),
      ZCA, (dataset, train) -> ZcaWhitening.fit(train, ZcaWhitening.MTT_EPS)));

  /** The datasets whose default preprocessing is {@link #ZCA}: MTT's CIFAR runs (--zca). */
  private static final Set<String> ZCA_BY_DEFAULT = Set.of("cifar10", "cifar10-jpeg",
      "cifar100");

  private PreprocessingKinds() {}

  /**
   * The preprocessing of {@code dataset} when none is given, on the command line and in
   * scripts alike: {@link #ZCA} for CIFAR-10 / CIFAR-100 (MTT whitens them for ipc 1 and 10),
   * {@link #NORMALIZE} for every other dataset.
   */
  public static String defaultFor(String dataset) {
    return ZCA_BY_DEFAULT.contains(dataset) ? ZCA : NORMALIZE;
  }

  /** Adds or replaces a kind: a function from the training split to a fitted transform. */
  public static void register(String name, Function<ImageSet, Preprocessing> fit) {
    KINDS.put(name, (dataset, train) -> fit.apply(train));
  }

  /** Adds or replaces a kind that depends on the dataset's name. */
  public static void registerForDataset(String name, Kind kind) {
    KINDS.put(name, kind);
  }

  /** The names of the registered kinds, sorted. */
  public static Set<String> names() {
    return new TreeMap<>(KINDS).keySet();
  }

  /**
   * The kind {@code name} stands for on {@code dataset}: {@code "normalize"} becomes
   * {@code "normalize-reference"} for a dataset with {@link ReferenceNormalization} constants
   * and {@code "normalize-fitted"} otherwise; every other name is itself. This is what
   * config.json records and what a buffer's recorded preprocessing is compared with.
   *
   * @param dataset a registered dataset name, or null if unknown
   */
  public static String resolve(String name, String dataset) {
    if (!NORMALIZE.equals(name)) {
      return name;
    }
    return ReferenceNormalization.forDataset(dataset).isPresent()
        ? ChannelNormalization.REFERENCE : ChannelNormalization.FITTED;
  }

  /**
   * The kind a recorded preprocessing name (a buffer manifest's or config.json's) means:
   * {@code "normalize"}, written before reference constants became the default, meant
   * constants fitted on the data, {@code "normalize-fitted"}; other names mean themselves.
   */
  public static String recordedKind(String recorded) {
    return NORMALIZE.equals(recorded) ? ChannelNormalization.FITTED : recorded;
  }

  /**
   * Whether data recorded with preprocessing {@code recorded} is what the kind
   * {@code requested} gives on {@code dataset} (by name: {@link #recordedKind} against
   * {@link #resolve}).
   */
  public static boolean sameKind(String recorded, String requested, String dataset) {
    return recordedKind(recorded).equals(resolve(requested, dataset));
  }

  /**
   * Fits the named kind on {@code train} of an unnamed dataset ({@code "normalize"} then fits
   * its constants).
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static Preprocessing fit(String name, ImageSet train) {
    return fit(name, null, train);
  }

  /**
   * Makes the named kind for {@code dataset} from its {@code train} split.
   *
   * @param dataset a registered dataset name (e.g. "cifar10"), or null if unknown
   * @throws IllegalArgumentException for an unknown name, listing the known ones, or
   *     {@code "normalize-reference"} for a dataset without reference constants
   */
  public static Preprocessing fit(String name, String dataset, ImageSet train) {
    Kind f = KINDS.get(name);
    checkArgument(f != null, "unknown preprocessing '%s'; known: %s", name, names());
    return f.make(dataset, train);
  }

  /**
   * The dataset with the named preprocessing made for it (by its name) from its train split
   * and applied to both splits.
   */
  public static Prepared prepare(Dataset raw, String name) {
    Preprocessing p = fit(name, raw.name(), raw.train());
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
        raw.train().channels(), raw.numClasses(), (t1 - t0) / 1e9, p.preprocessing().name(),
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
