package org.dd4j.distill;

import java.util.Set;
import java.util.function.Supplier;
import org.dd4j.settings.PieceRegistry;

/**
 * Open registry of {@link InnerLossTransform}s by name. Built in: "identity", "balanced"
 * (AST eq. 20, natural log) and "balanced-log5" (the authors' code).
 */
public final class InnerLossTransforms {

  /**
   * The registry: {@code identity}, {@code balanced(theta=8.0, log_base=e|5, middle=half|floor)} (AST eq. 20;
   * {@code balanced-log5} is the authors' code).
   */
  public static final PieceRegistry<InnerLossTransform> REGISTRY = new PieceRegistry<>(
      "inner-loss transform", InnerLossTransform.class, InnerLossTransform::describe);

  static {
    REGISTRY.register(InnerLossTransform.Identity.NAME, a -> InnerLossTransform.identity());
    REGISTRY.register(BalancedInnerLoss.NAME, a -> {
      double theta = a.number("theta", BalancedInnerLoss.paper().theta());
      String base = a.text("log_base", "e");
      return new BalancedInnerLoss(theta, base.equals("e") ? Math.E : Double.parseDouble(base),
          BalancedInnerLoss.Middle.named(a.text("middle", "half")));
    });
    REGISTRY.register(BalancedInnerLoss.NAME_LOG5, a -> BalancedInnerLoss.authorsCode());
  }

  private InnerLossTransforms() {}

  /**
   * Adds a transform without arguments.
   *
   * @throws IllegalArgumentException if the name is registered already
   */
  public static void register(String name, Supplier<? extends InnerLossTransform> factory) {
    REGISTRY.register(name, a -> factory.get());
  }

  /** @throws IllegalArgumentException for an unknown name, listing the known ones */
  public static InnerLossTransform create(String description) {
    return REGISTRY.parse(description);
  }

  /** The registered names, sorted. */
  public static Set<String> names() {
    return REGISTRY.names();
  }
}
