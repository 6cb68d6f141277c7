package org.dd4j.distribute;

import java.io.PrintWriter;

/** What a {@link WorkUnit} learns about where it runs. */
public interface UnitContext {

  /** 0 for the first attempt, 1 for the first retry, ... */
  int attempt();

  /**
   * The cores this unit may use; it sizes TensorFlow's intra-op threads (Spark:
   * {@code spark.task.cpus}; the local engine: the machine's or {@code --threads}).
   */
  int cpus();

  /** The unit's log (its {@link WorkUnit#logFile()}), flushed by the engine at the end. */
  PrintWriter log();

  /**
   * Called by a unit at points where an interruption must leave nothing half-written (after
   * each epoch of an expert). Engines do nothing here; a test's context may fail an attempt
   * here (the spark module's {@code FailFirstAttempt}).
   */
  default void checkpoint() {}
}
