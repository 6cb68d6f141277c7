package org.dd4j.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * Datasets by name, open to additions: {@code register("my-set", arg -> ...)} and the CLI, the
 * DSL and the stored metadata can all say "my-set".
 *
 * <p>A requested name is {@code name} or {@code name:argument}; the argument goes to the loader.
 * Built in ({@link #withBuiltins()}); each directory can also be given as the argument, e.g.
 * {@code cifar10:/data/cifar-10-batches-bin}:
 *
 * <ul>
 *   <li>{@code fashion-mnist}: env {@code DD4J_FASHION_MNIST}, else {@code
 *       /usr/share/datasets/fashion-mnist} (Debian package {@code dataset-fashion-mnist});
 *   <li>{@code mnist}: env {@code DD4J_MNIST} (IDX files; no default);
 *   <li>{@code cifar10}, {@code cifar100}: binary-version directories, env {@code DD4J_CIFAR10},
 *       {@code DD4J_CIFAR100};
 *   <li>{@code image-folder:<path>}: a directory or .tar.gz in the {@link ImageFolderReader}
 *       layout;
 *   <li>{@code cifar10-jpeg}: env {@code DD4J_CIFAR10_JPEG}, else {@code
 *       shared/data/cifar10-jpeg.tar.gz} or {@code ../shared/data/cifar10-jpeg.tar.gz} under the
 *       working directory or one of its parents.
 * </ul>
 *
 * <p>Image folders are cached decoded under env {@code DD4J_CACHE}, else {@code ~/.cache/dd4j}.
 */
public final class DatasetRegistry {

  public static final Path DEFAULT_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
  static final String CIFAR10_JPEG_FILE = "cifar10-jpeg.tar.gz";

  private final Map<String, DatasetLoader> loaders = new ConcurrentSkipListMap<>();

  private DatasetRegistry() {}

  /** A registry with nothing registered. */
  public static DatasetRegistry empty() {
    return new DatasetRegistry();
  }

  /** A registry with the built-in datasets, reading the process environment. */
  public static DatasetRegistry withBuiltins() {
    return withBuiltins(System::getenv, Path.of("").toAbsolutePath());
  }

  /**
   * The built-ins with an explicit environment and working directory (for tests and embedding).
   */
  static DatasetRegistry withBuiltins(Function<String, String> env, Path workingDir) {
    DatasetRegistry registry = new DatasetRegistry();
    ImageFolderReader images =
        ImageFolderReader.cachedIn(CacheDir.resolve(env));
    registry.register("fashion-mnist", arg -> {
      Path dir = dir(arg, env, "DD4J_FASHION_MNIST", DEFAULT_FASHION_MNIST);
      if (!Files.isDirectory(dir)) {
        throw new DatasetException("fashion-mnist: " + dir + " not found; install it with "
            + "`sudo apt-get install -y dataset-fashion-mnist` or set DD4J_FASHION_MNIST to a "
            + "directory of Fashion-MNIST IDX files");
      }
      return IdxReader.readDataset(dir, "fashion-mnist", IdxReader.FASHION_MNIST_CLASSES);
    });
    registry.register("mnist", arg -> IdxReader.readDataset(
        required(arg, env, "DD4J_MNIST", "mnist", "a directory of MNIST IDX files"), "mnist",
        IdxReader.MNIST_CLASSES));
    registry.register("cifar10", arg -> CifarBinaryReader.readCifar10(required(arg, env,
        "DD4J_CIFAR10", "cifar10", "the cifar-10-batches-bin directory")));
    registry.register("cifar100", arg -> CifarBinaryReader.readCifar100(required(arg, env,
        "DD4J_CIFAR100", "cifar100", "the cifar-100-binary directory")));
    registry.register("image-folder", arg -> {
      if (arg.isEmpty()) {
        throw new DatasetException("image-folder: expected image-folder:<directory or .tar.gz>, "
            + "found no path");
      }
      return images.read(Path.of(arg), "image-folder:" + arg);
    });
    registry.register("cifar10-jpeg",
        arg -> images.read(findCifar10Jpeg(arg, env, workingDir), "cifar10-jpeg"));
    return registry;
  }

  /**
   * Adds a dataset.
   *
   * @param name lower-case name without ':', not yet registered
   * @throws IllegalArgumentException if the name is taken or malformed
   */
  public DatasetRegistry register(String name, DatasetLoader loader) {
    checkNotNull(loader, "loader");
    checkArgument(name != null && !name.isBlank() && !name.contains(":"),
        "dataset name must be non-blank without ':', got '%s'", name);
    checkArgument(loaders.putIfAbsent(name, loader) == null,
        "dataset '%s' is already registered", name);
    return this;
  }

  /** Registered names, sorted. */
  public Set<String> names() {
    return Set.copyOf(loaders.keySet());
  }

  /**
   * Loads {@code name} or {@code name:argument}.
   *
   * @throws DatasetException if the name is unknown (the message lists the known ones) or the
   *     loader fails
   */
  public Dataset load(String requested) {
    checkNotNull(requested, "requested");
    int colon = requested.indexOf(':');
    String name = colon < 0 ? requested : requested.substring(0, colon);
    String argument = colon < 0 ? "" : requested.substring(colon + 1);
    DatasetLoader loader = loaders.get(name);
    if (loader == null) {
      throw new DatasetException("unknown dataset '" + name + "'; known: "
          + String.join(", ", loaders.keySet()));
    }
    return loader.load(argument);
  }

  private static Path dir(String arg, Function<String, String> env, String variable,
      Path fallback) {
    if (!arg.isEmpty()) {
      return Path.of(arg);
    }
    String value = env.apply(variable);
    return value != null && !value.isBlank() ? Path.of(value) : fallback;
  }

  private static Path required(String arg, Function<String, String> env, String variable,
      String name, String what) {
    Path dir = dir(arg, env, variable, null);
    if (dir == null) {
      throw new DatasetException(name + ": no directory given; set " + variable + " to " + what
          + " (or load \"" + name + ":<dir>\")");
    }
    return dir;
  }

  /**
   * Where {@code cifar10-jpeg} is read from: {@code arg} if given, else env
   * {@code DD4J_CIFAR10_JPEG}, else {@code shared/data/cifar10-jpeg.tar.gz} or
   * {@code ../shared/data/cifar10-jpeg.tar.gz} under {@code workingDir} or one of its parents.
   *
   * @throws DatasetException listing the places looked in, when none holds the archive
   */
  static Path findCifar10Jpeg(String arg, Function<String, String> env, Path workingDir) {
    Path given = dir(arg, env, "DD4J_CIFAR10_JPEG", null);
    if (given != null) {
      return given;
    }
    Set<Path> tried = new LinkedHashSet<>();
    for (Path dir = workingDir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      for (Path candidate : List.of(dir.resolve("shared/data").resolve(CIFAR10_JPEG_FILE),
          dir.resolve("../shared/data").resolve(CIFAR10_JPEG_FILE).normalize())) {
        if (Files.isRegularFile(candidate)) {
          return candidate;
        }
        tried.add(candidate);
      }
    }
    throw new DatasetException("cifar10-jpeg: " + CIFAR10_JPEG_FILE + " not found; set "
        + "DD4J_CIFAR10_JPEG to it. Looked in " + tried);
  }
}
