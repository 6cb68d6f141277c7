package org.dd4j.distill;

import java.util.Set;
import java.util.function.Supplier;
import org.dd4j.settings.PieceRegistry;

/**
 * Open registry of {@link StartPerturbation}s by name. Built in: "none", "filter-wise" (AST
 * eq. 23, rho 0.1) and "layer-wise" (the authors' code, coefficient 1).
 */
public final class StartPerturbations {

  /**
   * The registry: {@code none}, {@code filter-wise(rho=0.1)} (AST eq. 23) and
   * {@code layer-wise(coefficient=1.0)} (the authors' code).
   */
  public static final PieceRegistry<StartPerturbation> REGISTRY = new PieceRegistry<>(
      "start perturbation", StartPerturbation.class, StartPerturbation::describe);

  static {
    REGISTRY.register(StartPerturbation.None.NAME, a -> StartPerturbation.none());
    REGISTRY.register(FilterWisePerturbation.NAME, a -> new FilterWisePerturbation(
        a.number("rho", FilterWisePerturbation.paper().rho())));
    REGISTRY.register(LayerWisePerturbation.NAME, a -> new LayerWisePerturbation(
        a.number("coefficient", LayerWisePerturbation.authorsCode().coefficient())));
  }

  private StartPerturbations() {}

  /**
   * Adds a perturbation without arguments.
   *
   * @throws IllegalArgumentException if the name is registered already
   */
  public static void register(String name, Supplier<? extends StartPerturbation> factory) {
    REGISTRY.register(name, a -> factory.get());
  }

  /** @throws IllegalArgumentException for an unknown name, listing the known ones */
  public static StartPerturbation create(String description) {
    return REGISTRY.parse(description);
  }

  /** The registered names, sorted. */
  public static Set<String> names() {
    return REGISTRY.names();
  }
}
