package org.dd4j.distill;

import java.util.Locale;

/**
 * The weights beta_k of {@link IntermediateMatching}'s terms, k = 1..M.
 *
 * <p>References: Shen et al., AST (arXiv 2310.10541), eq. 22 and section V ("equal scale
 * beta = 1 or varied scale"); spec section 5b.
 */
public enum IntermediateWeights {
  /** beta_k = 1 (the paper's best). */
  EQUAL,
  /** beta_k = k / M: later matching points weigh more. */
  LINEAR;

  /** beta_k for point k of M. */
  public double beta(int k, int expertEpochs) {
    return this == EQUAL ? 1.0 : (double) k / expertEpochs;
  }

  /** Its lower-case name: "equal" or "linear". */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for a name other than "equal" or "linear" */
  public static IntermediateWeights named(String id) {
    for (IntermediateWeights w : values()) {
      if (w.id().equals(id)) {
        return w;
      }
    }
    throw new IllegalArgumentException("unknown intermediate weights '" + id
        + "'; known: equal, linear");
  }
}
