package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;

/**
 * A distillation phase's config.json, whichever front end started it: written by the runner,
 * read by the reuse check and the report ({@link #read}).
 *
 * @param method the method label (the preset, or "custom (...)"), as the run is reported
 * @param buffer the buffer's directory, absolute
 * @param dataset the registered dataset name
 * @param preprocess the resolved preprocessing kind
 * @param model the student's architecture (the buffer's)
 * @param distill every distillation setting by snake_case name, as {@code DistillConfig.toMap}
 *     writes them
 * @param evaluation the protocol of the evaluations (epochs, runs, ...), by snake_case name
 * @param threads how TensorFlow ran (not what was computed)
 * @param dd4jVersion the version that wrote it
 */
public record DistillRecord(String method, String buffer, String dataset, String preprocess,
    ModelSpec model, Map<String, Object> distill, Map<String, Object> evaluation,
    Object threads, String dd4jVersion) implements PhaseRecord {

  /** The {@code command} field of a distillation's config.json. */
  public static final String COMMAND = "distill";

  private static final ObjectMapper JSON = new ObjectMapper();

  public DistillRecord {
    distill = distill == null ? Map.of() : distill;
    evaluation = evaluation == null ? Map.of() : evaluation;
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("command", COMMAND);
    c.put("method", method);
    c.put("buffer", buffer);
    c.put("dataset", dataset);
    c.put("preprocess", preprocess);
    c.put("model", model);
    c.put("distill", distill);
    c.put("evaluation", evaluation);
    c.put("threads", threads);
    c.put("dd4j_version", dd4jVersion);
    return ConfigJson.plain(c);
  }

  /** "convnet-d3-w32": the student's label, as {@link ModelRegistry#label} makes it, or null. */
  public String modelLabel() {
    return model == null ? null : ModelRegistry.label(model);
  }

  /** A distillation setting by snake_case name (e.g. "ipc"), or null if it is not recorded. */
  public Object setting(String name) {
    return distill.get(name);
  }

  /**
   * Reads a distillation's config.json. A field an older file lacks is null (the report
   * shows "?"), as is a model it does not describe in full.
   *
   * @throws IllegalArgumentException naming the file if it is not valid JSON or not an object
   * @throws UncheckedIOException if it cannot be read
   */
  @SuppressWarnings("unchecked")
  public static DistillRecord read(Path file) {
    checkNotNull(file, "file");
    JsonNode n = ConfigJson.readObject(file);
    ModelSpec model = TrajectoryJson.modelIfComplete(n.path("model"));
    return new DistillRecord(text(n, "method"), text(n, "buffer"), text(n, "dataset"),
        text(n, "preprocess"), model,
        n.path("distill").isObject() ? JSON.convertValue(n.get("distill"), Map.class) : null,
        n.path("evaluation").isObject() ? JSON.convertValue(n.get("evaluation"), Map.class)
            : null,
        n.has("threads") ? JSON.convertValue(n.get("threads"), Object.class) : null,
        text(n, "dd4j_version"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
