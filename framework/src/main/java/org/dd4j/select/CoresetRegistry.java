package org.dd4j.select;

import java.util.Set;
import java.util.function.Supplier;
import org.dd4j.settings.PieceRegistry;

/**
 * Open registry of coreset rules by name: "random", "herding", "k-center" (nearest-mean
 * start) and "k-means" (AST's representative selection, one cluster per image) are built in; users add their own with {@link #register}. The CLI's
 * {@code dd4j evaluate --baseline} takes these names.
 */
public final class CoresetRegistry {

  /** The registry: random, herding, k-center, k-means(clustering=per-image|ten-clusters). */
  public static final PieceRegistry<Coreset> REGISTRY = new PieceRegistry<>("coreset",
      Coreset.class, Coreset::id);

  static {
    REGISTRY.register("random", a -> Coreset.random());
    REGISTRY.register("herding", a -> Coreset.herding());
    REGISTRY.register("k-center", a -> Coreset.kCenter());
    REGISTRY.register("k-means", a -> Coreset.kMeans(KMeansCoreset.Clustering.named(
        a.text("clustering", KMeansCoreset.Clustering.PER_IMAGE.id()))));
  }

  private CoresetRegistry() {}

  /**
   * Adds a rule without arguments.
   *
   * @throws IllegalArgumentException if the name is registered already
   */
  public static void register(String name, Supplier<Coreset> factory) {
    REGISTRY.register(name, a -> factory.get());
  }

  /** @throws IllegalArgumentException for an unknown name, listing the known ones */
  public static Coreset named(String description) {
    return REGISTRY.parse(description);
  }

  /** The registered names, sorted. */
  public static Set<String> names() {
    return REGISTRY.names();
  }
}
