package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dd4j.models.ModelSpec;

/**
 * A buffer phase's config.json: what it trains, on what, and how.
 *
 * @param dataset the registered dataset name
 * @param preprocess the resolved preprocessing kind ("normalize-reference", "zca", ...)
 * @param model the experts' architecture
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

  public BufferRecord {
    checkNotNull(dataset, "dataset");
    checkNotNull(model, "model");
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("command", COMMAND);
    c.put("dataset", dataset);
    c.put("preprocess", preprocess);
    c.put("model", model);
    c.put("experts", experts);
    c.put("train_images", trainImages == 0 ? "all" : trainImages);
    c.put("training", training);
    c.put("augmentation", augmentation);
    c.put("seed", seed);
    c.put("threads", threads);
    c.put("dd4j_version", dd4jVersion);
    return ConfigJson.plain(c);
  }
}
