package org.dd4j.distribute;

import java.io.Serializable;

/**
 * One independent piece of work an {@link Engine} runs: an expert of a buffer, a network of
 * an evaluation, a point of a sweep. A unit is serialized to wherever it runs (an executor
 * JVM on another machine with the Spark engine), so it carries only plain values (paths as
 * strings, settings as text) and rebuilds what it needs there; it must be safe to run twice
 * (a retried or speculative attempt), e.g. by publishing its output with an atomic rename.
 *
 * @param <R> what it returns to the driver, small and serializable
 */
public interface WorkUnit<R extends Serializable> extends Serializable {

  /** What the user reads in progress and errors, e.g. {@code "expert 17"}. */
  String label();

  /** The file its log goes to, beside its output (a path all executors can reach). */
  String logFile();

  /**
   * Does the work.
   *
   * @throws Exception any failure; the engine reports it as {@code "label: message"}
   */
  R run(UnitContext context) throws Exception;
}
