package org.dd4j.experiment;

import java.io.Serializable;

/**
 * How to build an {@link Experiment} again in another JVM: a script with its {@code --set}
 * overrides, or a command line. A distributed unit carries its source, not the experiment
 * (whose pieces may be code from a script), and rebuilds the experiment where it runs, so
 * every task sees exactly the settings of the driver. Implementations are small serializable
 * values with {@code equals} (records), which {@link UnitInputs} caches by.
 */
public interface ExperimentSource extends Serializable {

  /**
   * @throws IllegalArgumentException if the experiment cannot be built (e.g. the script is
   *     not readable where the unit runs)
   */
  Experiment load();
}
