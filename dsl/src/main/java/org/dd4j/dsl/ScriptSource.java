package org.dd4j.dsl;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dd4j.experiment.Experiment;
import org.dd4j.experiment.ExperimentSource;

/**
 * An experiment script and its {@code --set} overrides, rebuilt in a Spark executor: the
 * script must be readable at {@code script} (an absolute path) there too.
 */
public record ScriptSource(String script, LinkedHashMap<String, String> overrides)
    implements ExperimentSource {

  public static ScriptSource of(Path script, Map<String, String> overrides) {
    return new ScriptSource(script.toAbsolutePath().normalize().toString(),
        new LinkedHashMap<>(overrides));
  }

  @Override
  public Experiment load() {
    return ExperimentScripts.INSTANCE.load(Path.of(script), overrides);
  }
}
