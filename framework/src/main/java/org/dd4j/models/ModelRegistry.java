package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open registry of architectures by name. Built in: {@code convnet} and the evaluation pool
 * of spec section 1, {@code alexnet}, {@code vgg11}, {@code vgg11-bn}, {@code resnet18},
 * {@code resnet18-bn}, {@code resnet18-ap}, {@code resnet18-bn-ap}. ConvNet variants are
 * named by suffixes in this order: {@code -dN} depth, {@code -wN} width, {@code -bn},
 * {@code -in} or {@code -nn} norm (batch, instance, none), {@code -ap} or {@code -mp}
 * pooling (avg, max); e.g. "convnet-d4" for 64 px images, "convnet-bn-mp" (the reference
 * code's ConvNetBN with max pooling). Users add their own with {@link #register}.
 */
public final class ModelRegistry {

  /** Default ConvNet width (channels per conv), as in MTT. */
  public static final int DEFAULT_WIDTH = 128;

  /** ConvNet's depth unless given: ConvNet-3, MTT's network. */
  public static final int DEFAULT_DEPTH = 3;

  /**
   * What a registered name resolves to when no option overrides it.
   *
   * @param depth conv blocks (ConvNet), 0 where the architecture fixes it
   * @param width channels per conv (ConvNet), 0 where fixed
   * @param norm see {@link ModelSpec#norm()}
   * @param pooling see {@link ModelSpec#pooling()}
   */
  public record Defaults(int depth, int width, String norm, String pooling) {

    public Defaults {
      checkNotNull(norm, "norm");
      checkNotNull(pooling, "pooling");
    }

    /** The defaults of ConvNet-3, width 128, instance norm, average pooling. */
    public static final Defaults CONVNET = new Defaults(DEFAULT_DEPTH, DEFAULT_WIDTH, "instance",
        "avg");

    boolean adjustable() {
      return depth > 0 && width > 0;
    }
  }

  private record Entry(Defaults defaults, Function<ModelSpec, Model> factory) {}

  private static final Pattern CONVNET_VARIANT = Pattern.compile(
      "convnet(?:-d(\\d+))?(?:-w(\\d+))?(?:-(bn|in|nn))?(?:-(ap|mp))?");
  private static final Map<String, Entry> ENTRIES = new ConcurrentHashMap<>();

  static {
    register("convnet", Defaults.CONVNET, ConvNet::new);
    register("alexnet", new Defaults(0, 0, "none", "max"), AlexNet::new);
    register("vgg11", new Defaults(0, 0, "instance", "max"), Vgg11::new);
    register("vgg11-bn", new Defaults(0, 0, "batch", "max"), Vgg11::new);
    register("resnet18", new Defaults(0, 0, "instance", "none"), ResNet18::new);
    register("resnet18-bn", new Defaults(0, 0, "batch", "none"), ResNet18::new);
    register("resnet18-ap", new Defaults(0, 0, "instance", "avg"), ResNet18::new);
    register("resnet18-bn-ap", new Defaults(0, 0, "batch", "avg"), ResNet18::new);
  }

  private ModelRegistry() {}

  /**
   * Adds an architecture with ConvNet's defaults ({@link Defaults#CONVNET}); the factory
   * receives the full spec.
   *
   * @throws IllegalArgumentException if the name is registered already (see {@link #replace})
   */
  public static void register(String name, Function<ModelSpec, Model> factory) {
    register(name, Defaults.CONVNET, factory);
  }

  /**
   * Adds an architecture; the factory receives the full spec.
   *
   * @throws IllegalArgumentException if the name is registered already (see {@link #replace})
   */
  public static void register(String name, Defaults defaults,
      Function<ModelSpec, Model> factory) {
    checkNotNull(name, "name");
    Entry had = ENTRIES.putIfAbsent(name, new Entry(defaults, factory));
    checkArgument(had == null, "an architecture named '%s' is registered already; call "
        + "replace to swap it deliberately", name);
  }

  /** Adds or deliberately replaces an architecture. */
  public static void replace(String name, Defaults defaults,
      Function<ModelSpec, Model> factory) {
    ENTRIES.put(checkNotNull(name, "name"), new Entry(defaults, factory));
  }

  /**
   * Resolves a name and options into a spec.
   *
   * @param name registered name or ConvNet variant, e.g. "convnet", "convnet-d4", "vgg11"
   * @param depth conv blocks, or null for the default (3, or the name's)
   * @param width channels, or null for {@link #DEFAULT_WIDTH} (or the name's)
   * @throws IllegalArgumentException for an unknown name, listing the known ones, or a
   *     depth or width for an architecture that fixes them
   */
  public static ModelSpec spec(String name, Integer depth, Integer width, InputShape input,
      int numClasses) {
    checkNotNull(name, "name");
    Matcher m = CONVNET_VARIANT.matcher(name);
    if (!ENTRIES.containsKey(name) && m.matches()) {
      Defaults d = ENTRIES.get("convnet").defaults();
      int dd = pick("depth", name, m.group(1), depth, d.depth());
      int ww = pick("width", name, m.group(2), width, d.width());
      String norm = m.group(3) == null ? d.norm()
          : Map.of("bn", "batch", "in", "instance", "nn", "none").get(m.group(3));
      String pooling = m.group(4) == null ? d.pooling() : m.group(4).equals("ap") ? "avg"
          : "max";
      return new ModelSpec("convnet", dd, ww, norm, pooling, input, numClasses);
    }
    Entry e = ENTRIES.get(name);
    checkArgument(e != null, "unknown model '%s'; known: %s (and convnet-dN-wN-bn|in|nn-ap|mp)",
        name, new TreeMap<>(ENTRIES).keySet());
    Defaults d = e.defaults();
    checkArgument(d.adjustable() || (depth == null && width == null),
        "model %s has a fixed depth and width; depth %s, width %s given", name, depth, width);
    return new ModelSpec(name, depth == null ? d.depth() : depth,
        width == null ? d.width() : width, d.norm(), d.pooling(), input, numClasses);
  }

  private static int pick(String what, String name, String fromName, Integer option,
      int fallback) {
    if (fromName == null) {
      return option == null ? fallback : option;
    }
    int v = Integer.parseInt(fromName);
    checkArgument(option == null || option == v, "model %s has %s %s but %s %s was also given",
        name, what, v, what, option);
    return v;
  }

  /**
   * Whether {@code name} takes a depth and width (ConvNet and its variants, and user
   * architectures registered without fixed ones), so that {@link #spec} accepts them.
   */
  public static boolean takesDepthAndWidth(String name) {
    Entry e = ENTRIES.get(name);
    return e == null ? CONVNET_VARIANT.matcher(name).matches() : e.defaults().adjustable();
  }

  /**
   * A short label for tables: the name, and for ConvNet depth, width and any norm or
   * pooling other than the default, e.g. "convnet-d3-w128", "convnet-d3-w128-bn-mp".
   */
  public static String label(ModelSpec spec) {
    if (!spec.name().equals("convnet")) {
      return spec.name();
    }
    String s = "convnet-d" + spec.depth() + "-w" + spec.width();
    if (!spec.norm().equals("instance")) {
      s += spec.norm().equals("batch") ? "-bn" : "-nn";
    }
    return spec.pooling().equals("max") ? s + "-mp" : s;
  }

  /** The registered names, sorted. */
  public static SortedSet<String> names() {
    return new TreeSet<>(ENTRIES.keySet());
  }

  /**
   * Builds the model a spec describes.
   *
   * @throws IllegalArgumentException for an unknown architecture name
   */
  public static Model create(ModelSpec spec) {
    Entry e = ENTRIES.get(spec.name());
    checkArgument(e != null, "unknown model '%s'; known: %s", spec.name(),
        new TreeMap<>(ENTRIES).keySet());
    return e.factory().apply(spec);
  }
}
