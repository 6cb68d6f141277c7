package org.dd4j.data;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * dd4j's cache directory, one rule for everything cached (decoded image folders, compiled
 * scripts, measured full-data accuracies): env {@code DD4J_CACHE}, else {@code ~/.cache/dd4j}.
 */
public final class CacheDir {

  /** The environment variable naming the cache directory. */
  public static final String ENV = "DD4J_CACHE";

  private CacheDir() {}

  /** {@code DD4J_CACHE} as {@code env} reads it, if set and not blank. */
  public static Optional<Path> fromEnv(Function<String, String> env) {
    String dir = env.apply(ENV);
    return dir != null && !dir.isBlank() ? Optional.of(Path.of(dir)) : Optional.empty();
  }

  /** {@code DD4J_CACHE} as {@code env} reads it, else {@code ~/.cache/dd4j}. */
  public static Path resolve(Function<String, String> env) {
    return fromEnv(env).orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache",
        "dd4j"));
  }

  /** The cache directory of this process's environment. */
  public static Path resolve() {
    return resolve(System::getenv);
  }
}
