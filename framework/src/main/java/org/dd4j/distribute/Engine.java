package org.dd4j.distribute;

import java.io.PrintWriter;
import java.io.Serializable;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Runs independent {@link WorkUnit}s and gathers their results in order: {@link LocalEngine}
 * one after another in this JVM, the Spark engine (module {@code spark}) one Spark task per
 * unit. Closing an engine stops what it started.
 */
public interface Engine extends AutoCloseable {

  /** What runs the units, e.g. {@code local} or {@code spark(master=local[2])}. */
  String describe();

  /** Whether units run in other threads or JVMs (so they must rebuild their inputs). */
  boolean distributed();

  /**
   * Runs every unit.
   *
   * @param job what the units are together, e.g. {@code "buffer runs/b"} (progress, logs)
   * @return the results, in the order of {@code units}
   * @throws UnitFailedException naming the first unit that failed (after its retries)
   */
  <R extends Serializable> List<R> run(String job, List<? extends WorkUnit<R>> units);

  @Override
  void close();

  /**
   * The engine {@code choice} names.
   *
   * @throws IllegalArgumentException if no provider of that name is on the classpath, saying
   *     how to get the Spark module
   */
  static Engine create(EngineChoice choice, int localThreads, PrintWriter log,
      boolean progress) {
    if (choice.isLocal()) {
      return new LocalEngine(localThreads, log, progress);
    }
    List<EngineProvider> found = ServiceLoader.load(EngineProvider.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    return found.stream().filter(p -> p.name().equals(choice.name())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("engine " + choice.name()
            + " is not available (found: local" + found.stream().map(p -> ", " + p.name())
            .collect(Collectors.joining()) + "); the spark engine is in the dd4j-spark "
            + "module: build it (mvn package, without -Dnospark) and run ./dd4j, which puts "
            + "spark/target/lib on the classpath"))
        .create(choice, log, progress);
  }
}
