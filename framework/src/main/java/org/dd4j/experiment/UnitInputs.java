package org.dd4j.experiment;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the units running in one JVM (a Spark executor) share: each experiment built once
 * from its source (and each dataset prepared once, {@link org.dd4j.data.DataChoice#shared}).
 * Both are read-only after they are built.
 */
final class UnitInputs {

  private static final Map<ExperimentSource, Experiment> EXPERIMENTS =
      new ConcurrentHashMap<>();

  private UnitInputs() {}

  static Experiment experiment(ExperimentSource source) {
    return EXPERIMENTS.computeIfAbsent(source, ExperimentSource::load);
  }
}
