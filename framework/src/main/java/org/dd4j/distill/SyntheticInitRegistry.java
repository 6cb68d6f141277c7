package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Open registry of initializers by name, as {@code --pix-init} takes them: "real", "noise"
 * and "representative" (defaults of {@link RepresentativeInit}) are built in. A factory
 * receives the run's buffer directory, for initializers that read an expert; the others
 * ignore it.
 */
public final class SyntheticInitRegistry {

  private static final Map<String, Function<Path, SyntheticInit>> FACTORIES =
      new ConcurrentHashMap<>(Map.of(
          "real", buffer -> SyntheticInit.real(),
          "noise", buffer -> SyntheticInit.noise(),
          "representative", SyntheticInit::representative));

  private SyntheticInitRegistry() {}

  /** Adds or replaces an initializer. */
  public static void register(String name, Function<Path, SyntheticInit> factory) {
    FACTORIES.put(checkNotNull(name, "name"), checkNotNull(factory, "factory"));
  }

  /**
   * @param buffer the run's buffer directory (may be null for initializers that read none)
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static SyntheticInit create(String name, Path buffer) {
    Function<Path, SyntheticInit> f = FACTORIES.get(name);
    checkArgument(f != null, "unknown image init '%s'; known: %s", name, names());
    return f.apply(buffer);
  }

  /** The registered names, sorted. */
  public static Set<String> names() {
    return new TreeMap<>(FACTORIES).keySet();
  }
}
