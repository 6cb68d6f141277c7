package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run directory's {@value RunLayout#EXPERIMENT_JSON} ({@code dd4j run}, a sweep and each of
 * its points): where the experiment came from, then the experiment as resolved. The phases
 * it ran record their own settings in their config.json ({@link BufferRecord}, {@link
 * DistillRecord}), which is what the reuse check and the reports read.
 *
 * @param script the {@code .exp.kts} file, absolute
 * @param overrides the {@code --set} overrides, by key, in the order given
 * @param sweep a sweep's grid (key -> values), or null
 * @param sweepPoint a sweep point's values (key -> value), or null
 * @param resolved the resolved experiment as plain JSON values ({@code
 *     ExperimentRunner.describe}: name, dataset, model, buffer, distill, evaluation, version)
 */
public record ExperimentRecord(String script, Map<String, String> overrides,
    Map<String, ? extends Object> sweep, Map<String, String> sweepPoint,
    Map<String, Object> resolved) {

  public ExperimentRecord {
    checkNotNull(script, "script");
    checkNotNull(resolved, "resolved");
    overrides = overrides == null ? Map.of() : overrides;
  }

  /** A run of a script ({@code dd4j run}). */
  public static ExperimentRecord run(String script, Map<String, String> overrides,
      Map<String, Object> resolved) {
    return new ExperimentRecord(script, overrides, null, null, resolved);
  }

  /** The record as plain JSON values, in experiment.json's field order (snake_case names). */
  public Map<String, Object> toMap() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("script", script);
    c.put("overrides", overrides);
    if (sweep != null) {
      c.put("sweep", sweep);
    }
    if (sweepPoint != null) {
      c.put("sweep_point", sweepPoint);
    }
    c.putAll(resolved);
    return ConfigJson.plain(c);
  }

  /** The text of experiment.json. */
  public String toJson() {
    return ConfigJson.text(toMap());
  }
}
