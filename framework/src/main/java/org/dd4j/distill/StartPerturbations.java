package org.dd4j.distill;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Open registry of {@link StartPerturbation}s by name. Built in: "none", "filter-wise" (AST
 * eq. 23, rho 0.1) and "layer-wise" (the authors' code, coefficient 1).
 */
public final class StartPerturbations {

  private static final NamedRegistry<StartPerturbation> REGISTRY =
      new NamedRegistry<>("start perturbation");

  static {
    REGISTRY.register(StartPerturbation.None.NAME, StartPerturbation::none);
    REGISTRY.register(FilterWisePerturbation.NAME, FilterWisePerturbation::paper);
    REGISTRY.register(LayerWisePerturbation.NAME, LayerWisePerturbation::authorsCode);
  }

  private StartPerturbations() {}

  /** Adds or replaces a perturbation. */
  public static void register(String name, Supplier<? extends StartPerturbation> factory) {
    REGISTRY.register(name, factory);
  }

  /** @throws IllegalArgumentException for an unknown name, listing the known ones */
  public static StartPerturbation create(String name) {
    return REGISTRY.create(name);
  }

  /** The registered names, sorted. */
  public static Set<String> names() {
    return REGISTRY.names();
  }
}
