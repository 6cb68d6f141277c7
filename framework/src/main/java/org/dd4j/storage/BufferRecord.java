package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dd4j.models.ModelSpec;

/**
 * A buffer phase's config.json: what it trains, on what, and how; written by the runner, read
 * by the reuse check and the buffer's report ({@link #read}).
 *
 * @param dataset the registered dataset name
 * @param preprocess the resolved preprocessing kind ("normalize-reference", "zca", ...)
 * @param model the experts' architecture (null only when read from a file that does not
 *     describe it in full)
 * @param experts E
 * @param trainImages the first N training images, or 0 for all (written "all")
 * @param training the experts' training (optimizer, objective, epochs, batch), as described
 * @param augmentation the training batches' augmentation, as described
 * @param seed expert i is seeded from (seed, i)
 * @param threads how TensorFlow ran (not what was computed)
 * @param dd4jVersion the version that wrote it
 */
public record BufferRecord(String dataset, String preprocess, ModelSpec model, int experts,
    int trainImages, Map<String, Object> training, Map<String, Object> augmentation, long seed,
    Object threads, String dd4jVersion) implements PhaseRecord {

  /** The {@code command} field of a buffer's config.json. */
  public static final String COMMAND = "buffer";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The value of {@code train_images} when every training image is used. */
  private static final String ALL_IMAGES = "all";

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("command", COMMAND);
    c.put("dataset", dataset);
    c.put("preprocess", preprocess);
    c.put("model", model);
    c.put("experts", experts);
    c.put("train_images", trainImages == 0 ? ALL_IMAGES : trainImages);
    c.put("training", training);
    c.put("augmentation", augmentation);
    c.put("seed", seed);
    c.put("threads", threads);
    c.put("dd4j_version", dd4jVersion);
    return ConfigJson.plain(c);
  }

  /**
   * Reads a buffer's config.json. A text field an older file lacks is null, as is a model it
   * does not describe in full; a missing count is 0.
   *
   * @throws IllegalArgumentException naming the file if it is not valid JSON, not an object,
   *     or train_images is neither a count nor "all"
   * @throws UncheckedIOException if it cannot be read
   */
  @SuppressWarnings("unchecked")
  public static BufferRecord read(Path file) {
    checkNotNull(file, "file");
    JsonNode n = ConfigJson.readObject(file);
    ModelSpec model = TrajectoryJson.modelIfComplete(n.path("model"));
    JsonNode images = n.path("train_images");
    if (!images.isMissingNode() && !images.canConvertToInt()
        && !ALL_IMAGES.equals(images.asText())) {
      throw new IllegalArgumentException(String.format("%s: train_images must be a count or "
          + "\"%s\", got %s", file, ALL_IMAGES, images));
    }
    return new BufferRecord(text(n, "dataset"), text(n, "preprocess"), model,
        n.path("experts").asInt(0), images.canConvertToInt() ? images.asInt() : 0,
        n.path("training").isObject() ? JSON.convertValue(n.get("training"), Map.class) : null,
        n.path("augmentation").isObject()
            ? JSON.convertValue(n.get("augmentation"), Map.class) : null,
        n.path("seed").asLong(0),
        n.has("threads") ? JSON.convertValue(n.get("threads"), Object.class) : null,
        text(n, "dd4j_version"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
