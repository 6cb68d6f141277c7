package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * An open, thread-safe registry of factories by name, shared by the distillation pieces'
 * registries ({@link MatchingLosses}, {@link InnerLossTransforms},
 * {@link StartPerturbations}).
 *
 * @param <T> what the factories make
 */
final class NamedRegistry<T> {

  private final String kind;
  private final Map<String, Supplier<? extends T>> factories = new ConcurrentHashMap<>();

  /** @param kind what is registered, for error messages, e.g. "matching loss" */
  NamedRegistry(String kind) {
    this.kind = kind;
  }

  void register(String name, Supplier<? extends T> factory) {
    checkNotNull(name, "name");
    checkNotNull(factory, "factory");
    checkArgument(!name.isBlank(), "a %s name must not be blank", kind);
    factories.put(name, factory);
  }

  T create(String name) {
    Supplier<? extends T> f = factories.get(name);
    checkArgument(f != null, "unknown %s '%s'; known: %s", kind, name, names());
    return checkNotNull(f.get(), "the %s factory '%s' returned null", kind, name);
  }

  Set<String> names() {
    return new TreeMap<>(factories).keySet();
  }
}
