package org.dd4j.select;

import java.util.Locale;

/**
 * Which output of a trained expert embeds an image for selection (representative
 * initialization, herding, k-center).
 */
public enum EmbeddingLayer {
  /**
   * Penultimate features, the input of the final linear layer ({@code Model.features}),
   * shape [B, F]; AST's paper (IV-C1) and herding's usual choice.
   */
  FEATURES,
  /** Logits ({@code Model.forward}), shape [B, numClasses]; AST's code. */
  LOGITS;

  /** The name used in configurations and on the command line: "features" or "logits". */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for a name other than "features" or "logits" */
  public static EmbeddingLayer named(String name) {
    for (EmbeddingLayer l : values()) {
      if (l.id().equals(name)) {
        return l;
      }
    }
    throw new IllegalArgumentException("embedding must be 'features' or 'logits', got '"
        + name + "'");
  }
}
