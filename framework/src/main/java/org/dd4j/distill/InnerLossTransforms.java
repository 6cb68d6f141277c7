package org.dd4j.distill;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Open registry of {@link InnerLossTransform}s by name. Built in: "identity", "balanced"
 * (AST eq. 20, natural log) and "balanced-log5" (the authors' code).
 */
public final class InnerLossTransforms {

  private static final NamedRegistry<InnerLossTransform> REGISTRY =
      new NamedRegistry<>("inner-loss transform");

  static {
    REGISTRY.register(InnerLossTransform.Identity.NAME, InnerLossTransform::identity);
    REGISTRY.register(BalancedInnerLoss.NAME, BalancedInnerLoss::paper);
    REGISTRY.register(BalancedInnerLoss.NAME_LOG5, BalancedInnerLoss::authorsCode);
  }

  private InnerLossTransforms() {}

  /** Adds or replaces a transform. */
  public static void register(String name, Supplier<? extends InnerLossTransform> factory) {
    REGISTRY.register(name, factory);
  }

  /** @throws IllegalArgumentException for an unknown name, listing the known ones */
  public static InnerLossTransform create(String name) {
    return REGISTRY.create(name);
  }

  /** The registered names, sorted. */
  public static Set<String> names() {
    return REGISTRY.names();
  }
}
