package org.dd4j.distill;

/**
 * Scales the student's inner-loop loss by a factor nu(t, T+) of the iteration's start epoch:
 * every one of the N unrolled steps minimizes {@code nu * CE} instead of CE. The factor is
 * computed in Java and fed to the graph each iteration (the graph is built once). A pure
 * function object.
 *
 * <p>Built-ins: {@link #identity()} (MTT, nu = 1) and {@link BalancedInnerLoss} (AST eq.
 * 20); by name through {@link InnerLossTransforms}.
 */
public interface InnerLossTransform {

  /**
   * @param startEpoch t, the expert epoch the student starts from, in [0, T+)
   * @param maxStartEpoch T+, > 0
   * @return nu, finite and > 0
   */
  double factor(int startEpoch, int maxStartEpoch);

  /** Short name, e.g. "balanced". */
  String name();

  /** The transform with its settings, for metadata and checkpoint checks. */
  default String describe() {
    return name();
  }

  /** nu = 1: plain cross-entropy (MTT). */
  static InnerLossTransform identity() {
    return new Identity();
  }

  /** The constant factor 1. */
  record Identity() implements InnerLossTransform {

    /** Its registry name. */
    public static final String NAME = "identity";

    @Override
    public double factor(int startEpoch, int maxStartEpoch) {
      return 1.0;
    }

    @Override
    public String name() {
      return NAME;
    }
  }
}
