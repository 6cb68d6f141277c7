package org.dd4j.select;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Open registry of coreset rules by name: "random", "herding", "k-center" (nearest-mean
 * start) and "k-means" (AST's representative selection, one cluster per image) are built in; users add their own with {@link #register}. The CLI's
 * {@code dd4j evaluate --baseline} takes these names.
 */
public final class CoresetRegistry {

  private static final Map<String, Supplier<Coreset>> FACTORIES = new ConcurrentHashMap<>(
      Map.of("random", Coreset::random, "herding", Coreset::herding,
          "k-center", Coreset::kCenter,
          "k-means", () -> Coreset.kMeans(KMeansCoreset.Clustering.PER_IMAGE)));

  private CoresetRegistry() {}

  /** Adds or replaces a rule. */
  public static void register(String name, Supplier<Coreset> factory) {
    FACTORIES.put(checkNotNull(name, "name"), checkNotNull(factory, "factory"));
  }

  /** @throws IllegalArgumentException for an unknown name, listing the known ones */
  public static Coreset named(String name) {
    Supplier<Coreset> f = FACTORIES.get(name);
    checkArgument(f != null, "unknown coreset '%s'; known: %s", name, names());
    return f.get();
  }

  /** The registered names, sorted. */
  public static Set<String> names() {
    return new TreeMap<>(FACTORIES).keySet();
  }
}
