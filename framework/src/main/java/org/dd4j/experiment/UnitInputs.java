package org.dd4j.experiment;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dd4j.data.PreprocessingKinds;

/**
 * What the units running in one JVM (a Spark executor) share: each experiment built once
 * from its source, each dataset loaded and preprocessed once. Both are read-only after they
 * are built.
 */
final class UnitInputs {

  private static final Map<ExperimentSource, Experiment> EXPERIMENTS =
      new ConcurrentHashMap<>();
  private static final Map<DataChoice, PreprocessingKinds.Prepared> DATA =
      new ConcurrentHashMap<>();

  private UnitInputs() {}

  static Experiment experiment(ExperimentSource source) {
    return EXPERIMENTS.computeIfAbsent(source, ExperimentSource::load);
  }

  static PreprocessingKinds.Prepared data(DataChoice choice, PrintWriter log) {
    return DATA.computeIfAbsent(choice, c -> {
      StringWriter text = new StringWriter();
      PreprocessingKinds.Prepared p = PreprocessingKinds.load(c.dataset(), c.preprocess(),
          new PrintWriter(text, true));
      log.print(text);
      log.flush();
      return p;
    });
  }
}
