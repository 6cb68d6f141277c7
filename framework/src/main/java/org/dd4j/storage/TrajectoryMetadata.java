package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.ParamLayout;

/**
 * Everything a trajectory file says about itself, stored as Arrow schema metadata (keys in
 * {@link TrajectoryFormat}; docs/trajectory-format.md has an example of each).
 *
 * <p>The free-form parts are JSON objects given as maps; they are deep-copied, made
 * unmodifiable and normalised to the types JSON reads back (a {@code float} 0.1f becomes the
 * {@code Double} 0.1), so that metadata equal themselves after a round trip.
 *
 * @param model the network the parameters belong to
 * @param layout names and shapes of the parameter tensors, in flat-vector order; its total
 *     size P is the length of every snapshot
 * @param dataset registered dataset name, e.g. "cifar10"
 * @param preprocessing how inputs were transformed ({@code Preprocessing.describe()}), e.g.
 *     {@code {"name":"zca","eps":0.1}} or
 *     {@code {"name":"normalize-reference","mean":[...],"std":[...],"source":"..."}}
 *     (an old {@code "normalize"} meant fitted constants, now {@code "normalize-fitted"})
 * @param optimizer name and hyperparameters, e.g. {@code {"name":"sgd","lr":0.01,
 *     "momentum":0.0,"weight_decay":0.0,"batch_size":256}}
 * @param regularizers one JSON object per regularizer (name + settings), possibly empty
 * @param seed random seed of this expert's training run
 * @param expertIndex index of this expert in its buffer, >= 0
 * @param version dd4j version that wrote the file, e.g. "0.1.0-SNAPSHOT"
 */
public record TrajectoryMetadata(ModelSpec model, ParamLayout layout, String dataset,
    Map<String, Object> preprocessing, Map<String, Object> optimizer,
    List<Map<String, Object>> regularizers, long seed, int expertIndex, String version) {

  public TrajectoryMetadata {
    checkNotNull(model, "model");
    checkNotNull(layout, "layout");
    checkNotNull(dataset, "dataset");
    checkNotNull(version, "version");
    checkArgument(!dataset.isBlank(), "dataset must not be blank");
    checkArgument(!version.isBlank(), "version must not be blank");
    checkArgument(expertIndex >= 0, "expertIndex must be >= 0, got %s", expertIndex);
    checkArgument(layout.totalSize() <= Integer.MAX_VALUE - 8,
        "a snapshot must fit a Java array, got %s parameters", layout.totalSize());
    preprocessing = TrajectoryJson.freezeObject(preprocessing, "preprocessing");
    optimizer = TrajectoryJson.freezeObject(optimizer, "optimizer");
    regularizers = TrajectoryJson.freezeList(regularizers, "regularizers");
  }

  /** P: the number of floats in one snapshot, {@code layout().totalSize()}. */
  public int paramCount() {
    return (int) layout.totalSize();
  }

  /** The same metadata for another expert of the same buffer. */
  public TrajectoryMetadata withExpert(int newExpertIndex, long newSeed) {
    return new TrajectoryMetadata(model, layout, dataset, preprocessing, optimizer,
        regularizers, newSeed, newExpertIndex, version);
  }

  /** The Arrow schema custom metadata: every {@code dd4j.*} key, format version included. */
  public Map<String, String> toSchemaMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(TrajectoryFormat.KEY_FORMAT_VERSION, TrajectoryFormat.FORMAT_VERSION);
    m.put(TrajectoryFormat.KEY_MODEL, TrajectoryJson.write(TrajectoryJson.modelToJson(model)));
    m.put(TrajectoryFormat.KEY_PARAMS, TrajectoryJson.write(TrajectoryJson.layoutToJson(layout)));
    m.put(TrajectoryFormat.KEY_DATASET, dataset);
    m.put(TrajectoryFormat.KEY_PREPROCESSING,
        TrajectoryJson.write(TrajectoryJson.MAPPER.valueToTree(preprocessing)));
    m.put(TrajectoryFormat.KEY_OPTIMIZER,
        TrajectoryJson.write(TrajectoryJson.MAPPER.valueToTree(optimizer)));
    m.put(TrajectoryFormat.KEY_REGULARIZERS,
        TrajectoryJson.write(TrajectoryJson.MAPPER.valueToTree(regularizers)));
    m.put(TrajectoryFormat.KEY_SEED, Long.toString(seed));
    m.put(TrajectoryFormat.KEY_EXPERT_INDEX, Integer.toString(expertIndex));
    m.put(TrajectoryFormat.KEY_VERSION, version);
    return m;
  }

  /**
   * Parses the schema custom metadata written by {@link #toSchemaMetadata()}. The format
   * version is not checked here (the reader does that first, with its own message).
   *
   * @throws IllegalArgumentException naming the first missing or malformed key
   */
  public static TrajectoryMetadata fromSchemaMetadata(Map<String, String> m) {
    checkNotNull(m, "metadata");
    JsonNode model = TrajectoryJson.parse(get(m, TrajectoryFormat.KEY_MODEL));
    JsonNode params = TrajectoryJson.parse(get(m, TrajectoryFormat.KEY_PARAMS));
    JsonNode pre = TrajectoryJson.parse(get(m, TrajectoryFormat.KEY_PREPROCESSING));
    JsonNode opt = TrajectoryJson.parse(get(m, TrajectoryFormat.KEY_OPTIMIZER));
    JsonNode regs = TrajectoryJson.parse(get(m, TrajectoryFormat.KEY_REGULARIZERS));
    return new TrajectoryMetadata(
        TrajectoryJson.modelFromJson(model),
        TrajectoryJson.layoutFromJson(params),
        get(m, TrajectoryFormat.KEY_DATASET),
        TrajectoryJson.objectFromJson(pre, TrajectoryFormat.KEY_PREPROCESSING),
        TrajectoryJson.objectFromJson(opt, TrajectoryFormat.KEY_OPTIMIZER),
        TrajectoryJson.listFromJson(regs, TrajectoryFormat.KEY_REGULARIZERS),
        parseLong(m, TrajectoryFormat.KEY_SEED),
        (int) parseLong(m, TrajectoryFormat.KEY_EXPERT_INDEX),
        get(m, TrajectoryFormat.KEY_VERSION));
  }

  private static String get(Map<String, String> m, String key) {
    String v = m.get(key);
    checkArgument(v != null, "missing metadata key %s", key);
    return v;
  }

  private static long parseLong(Map<String, String> m, String key) {
    String v = get(m, key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("metadata key " + key + " must be an integer, got " + v,
          e);
    }
  }
}
