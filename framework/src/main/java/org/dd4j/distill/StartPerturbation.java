package org.dd4j.distill;

import java.util.SplittableRandom;
import org.dd4j.models.ParamLayout;

/**
 * Perturbs the expert's start parameters w_0 = traj[t] before they are fed to the graph; the
 * perturbed w_0 is both the student's start and the start in the matching loss's
 * denominators. Applied in Java, drawing from the iteration's generator, so a run stays
 * reproducible from (seed, iteration). A pure function object.
 *
 * <p>Built-ins: {@link #none()}, {@link FilterWisePerturbation} (AST eq. 23) and
 * {@link LayerWisePerturbation} (the authors' code); by name through
 * {@link StartPerturbations}.
 */
public interface StartPerturbation {

  /**
   * @param w0 the expert's start parameters, flat [P] float32 in {@code layout} order (not
   *     modified)
   * @param layout names and shapes of the parameters (conv weights HWIO [kh, kw, in, out])
   * @param rng the iteration's generator
   * @return the perturbed parameters, a new array of length P
   */
  float[] perturb(float[] w0, ParamLayout layout, SplittableRandom rng);

  /** Short name, e.g. "filter-wise". */
  String name();

  /** The perturbation with its settings, for metadata and checkpoint checks. */
  default String describe() {
    return name();
  }

  /** No perturbation (MTT); draws nothing from the generator. */
  static StartPerturbation none() {
    return new None();
  }

  /** The identity. */
  record None() implements StartPerturbation {

    /** Its registry name. */
    public static final String NAME = "none";

    @Override
    public float[] perturb(float[] w0, ParamLayout layout, SplittableRandom rng) {
      return w0.clone();
    }

    @Override
    public String name() {
      return NAME;
    }
  }
}
