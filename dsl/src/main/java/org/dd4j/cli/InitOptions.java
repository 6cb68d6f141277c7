package org.dd4j.cli;

import java.nio.file.Path;
import org.dd4j.distill.RepresentativeInit;
import org.dd4j.distill.SyntheticInit;
import org.dd4j.distill.SyntheticInitRegistry;
import org.dd4j.engine.SessionOptions;
import org.dd4j.select.EmbeddingLayer;
import org.dd4j.select.KMeansCoreset;
import picocli.CommandLine.Option;

/** Options of {@code --pix-init representative} (AST's representative initialization). */
final class InitOptions {

  @Option(names = {"--init-expert"}, defaultValue = "0",
      description = "With --pix-init representative: the buffer's expert whose final "
          + "checkpoint embeds the real images (default: ${DEFAULT-VALUE}).")
  int expert;

  @Option(names = {"--init-embedding"}, defaultValue = "features",
      description = "With --pix-init representative: features (penultimate, AST's paper) or "
          + "logits (AST's code) (default: ${DEFAULT-VALUE}).")
  String embedding;

  @Option(names = {"--init-clustering"}, defaultValue = "per-image",
      description = "With --pix-init representative: per-image (ipc K-Means clusters, the "
          + "image nearest each centre) or ten-clusters (10 clusters, ipc/10 images nearest "
          + "each, AST's code) (default: ${DEFAULT-VALUE}).")
  String clustering;

  /**
   * The initializer named {@code name} (see {@link SyntheticInitRegistry}); "representative"
   * gets this mixin's options.
   *
   * @throws IllegalArgumentException for an unknown name or option value
   */
  SyntheticInit resolve(String name, Path buffer, SessionOptions session) {
    if (!name.equals("representative")) {
      return SyntheticInitRegistry.create(name, buffer);
    }
    return RepresentativeInit.builder(buffer).expert(expert)
        .embedding(EmbeddingLayer.named(embedding))
        .clustering(KMeansCoreset.Clustering.named(clustering)).session(session).build();
  }
}
