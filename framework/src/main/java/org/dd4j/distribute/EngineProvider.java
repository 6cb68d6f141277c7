package org.dd4j.distribute;

import java.io.PrintWriter;

/**
 * Makes an {@link Engine} by name; found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/org.dd4j.distribute.EngineProvider} line), so the module that
 * brings Spark is needed on the classpath only by runs that choose it.
 */
public interface EngineProvider {

  /** The name {@code --engine} selects, e.g. {@code spark}. */
  String name();

  /**
   * @param log where the engine reports what it starts and what failed
   * @param progress whether to show a progress bar over the units
   */
  Engine create(EngineChoice choice, PrintWriter log, boolean progress);
}
