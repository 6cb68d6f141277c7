package org.dd4j.spark;

import java.io.PrintWriter;
import org.dd4j.distribute.Engine;
import org.dd4j.distribute.EngineChoice;
import org.dd4j.distribute.EngineProvider;

/** {@code --engine spark}: found by {@link java.util.ServiceLoader} when this module is on the classpath. */
public final class SparkEngineProvider implements EngineProvider {

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public Engine create(EngineChoice choice, PrintWriter log, boolean progress) {
    return new SparkEngine(choice.master(), log, progress);
  }
}
