package org.dd4j.distill;


import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;
import org.dd4j.engine.SessionOptions;
import org.dd4j.select.EmbeddingLayer;
import org.dd4j.select.KMeansCoreset;
import org.dd4j.settings.PieceArgs;
import org.dd4j.settings.PieceRegistry;

/**
 * Open registry of initializers, as {@code pix_init} takes them: "real", "noise" and
 * "representative(expert=0, embedding=features|logits, clustering=per-image|ten-clusters)"
 * are built in. An initializer that reads the run's buffer (representative) is parsed
 * without one and bound to it by {@link SyntheticInit#forBuffer} when the run starts.
 */
public final class SyntheticInitRegistry {

  /** The registry; descriptions are the initializers' {@link SyntheticInit#id()}. */
  public static final PieceRegistry<SyntheticInit> REGISTRY = new PieceRegistry<>(
      "image init", SyntheticInit.class, SyntheticInit::id);

  static {
    REGISTRY.register("real", a -> SyntheticInit.real());
    REGISTRY.register("noise", a -> SyntheticInit.noise());
    REGISTRY.register("representative", a -> RepresentativeInit.builder(null)
        .expert(a.integer("expert", 0))
        .embedding(EmbeddingLayer.named(a.text("embedding", EmbeddingLayer.FEATURES.id())))
        .clustering(KMeansCoreset.Clustering.named(a.text("clustering",
            KMeansCoreset.Clustering.PER_IMAGE.id())))
        .build());
    REGISTRY.register(CorrectOnlyInit.NAME, a -> new CorrectOnlyInit(null,
        SessionOptions.defaults())); // DATM's samples_predicted_correctly
  }

  private SyntheticInitRegistry() {}

  /**
   * Adds an initializer.
   *
   * @throws IllegalArgumentException if the name is registered already
   */
  public static void register(String name, Function<PieceArgs, SyntheticInit> factory) {
    REGISTRY.register(name, factory);
  }

  /**
   * The initializer a description names, bound to {@code buffer} if it reads one.
   *
   * @param buffer the run's buffer directory (may be null for initializers that read none)
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static SyntheticInit create(String description, Path buffer) {
    SyntheticInit i = REGISTRY.parse(description);
    return buffer == null ? i : i.forBuffer(buffer, SessionOptions.defaults());
  }

  /** The registered names, sorted. */
  public static Set<String> names() {
    return REGISTRY.names();
  }
}
