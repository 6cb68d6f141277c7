package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open registry of architectures by name. {@code "convnet"} is built in; {@code "convnet-dN"}
 * names ConvNet of depth N (e.g. "convnet-d4" for 64 px images). Users add their own with
 * {@link #register}.
 */
public final class ModelRegistry {

  /** Default ConvNet width (channels per conv), as in MTT. */
  public static final int DEFAULT_WIDTH = 128;

  private static final Pattern CONVNET_DEPTH = Pattern.compile("convnet-d(\\d+)");
  private static final Map<String, Function<ModelSpec, Model>> FACTORIES =
      new ConcurrentHashMap<>(Map.of("convnet", ConvNet::new));

  private ModelRegistry() {}

  /** Adds or replaces an architecture; the factory receives the full spec. */
  public static void register(String name, Function<ModelSpec, Model> factory) {
    FACTORIES.put(name, factory);
  }

  /**
   * Resolves a name and options into a spec.
   *
   * @param name registered name or alias, e.g. "convnet", "convnet-d4"
   * @param depth conv blocks, or null for the default (3, or the alias's)
   * @param width channels, or null for {@link #DEFAULT_WIDTH}
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static ModelSpec spec(String name, Integer depth, Integer width, InputShape input,
      int numClasses) {
    String base = name;
    int d = depth == null ? 3 : depth;
    Matcher m = CONVNET_DEPTH.matcher(name);
    if (m.matches()) {
      base = "convnet";
      int aliasDepth = Integer.parseInt(m.group(1));
      checkArgument(depth == null || depth == aliasDepth,
          "model %s has depth %s but depth %s was also given", name, aliasDepth, depth);
      d = aliasDepth;
    }
    checkArgument(FACTORIES.containsKey(base), "unknown model '%s'; known: %s (and convnet-dN)",
        name, new TreeMap<>(FACTORIES).keySet());
    return new ModelSpec(base, d, width == null ? DEFAULT_WIDTH : width, "instance", "avg",
        input, numClasses);
  }

  /**
   * Builds the model a spec describes.
   *
   * @throws IllegalArgumentException for an unknown architecture name
   */
  public static Model create(ModelSpec spec) {
    Function<ModelSpec, Model> f = FACTORIES.get(spec.name());
    checkArgument(f != null, "unknown model '%s'; known: %s", spec.name(),
        new TreeMap<>(FACTORIES).keySet());
    return f.apply(spec);
  }
}
