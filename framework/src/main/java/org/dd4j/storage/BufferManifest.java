package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.ParamLayout;

/**
 * The {@code manifest.json} of a buffer directory: what was asked for (model, dataset,
 * number of experts, epochs, training settings common to all experts) and which experts are
 * complete. The expert files are the truth about completeness; the list here is a summary
 * that {@link BufferDirectory} rewrites after every commit.
 *
 * @param model the network every expert trains
 * @param layout parameter names and shapes, in flat-vector order
 * @param dataset registered dataset name
 * @param numExperts experts requested, > 0
 * @param epochs training epochs per expert, > 0; each complete file holds epochs + 1
 *     snapshots (initialization included)
 * @param preprocessing as {@link TrajectoryMetadata#preprocessing()}
 * @param optimizer as {@link TrajectoryMetadata#optimizer()}
 * @param regularizers as {@link TrajectoryMetadata#regularizers()}
 * @param version dd4j version that wrote the manifest
 * @param completed indices of complete experts, each in [0, numExperts); stored sorted and
 *     without duplicates
 */
public record BufferManifest(ModelSpec model, ParamLayout layout, String dataset,
    int numExperts, int epochs, Map<String, Object> preprocessing, Map<String, Object> optimizer,
    List<Map<String, Object>> regularizers, String version, List<Integer> completed) {

  public BufferManifest {
    checkNotNull(model, "model");
    checkNotNull(layout, "layout");
    checkNotNull(dataset, "dataset");
    checkNotNull(version, "version");
    checkNotNull(completed, "completed");
    checkArgument(numExperts > 0, "numExperts must be > 0, got %s", numExperts);
    checkArgument(epochs > 0, "epochs must be > 0, got %s", epochs);
    preprocessing = TrajectoryJson.freezeObject(preprocessing, "preprocessing");
    optimizer = TrajectoryJson.freezeObject(optimizer, "optimizer");
    regularizers = TrajectoryJson.freezeList(regularizers, "regularizers");
    for (int i : completed) {
      checkArgument(i >= 0 && i < numExperts, "completed expert %s must be in [0, %s)", i,
          numExperts);
    }
    completed = List.copyOf(new TreeSet<>(completed));
  }

  /** A manifest for a new buffer, with no expert complete yet. */
  /**
   * The name of the preprocessing the experts were trained on ("zca", "normalize-reference",
   * or "normalize" in buffers written before reference constants were the default), or null
   * when the manifest records none.
   */
  public String preprocessingName() {
    Object name = preprocessing.get("name");
    return name == null ? null : String.valueOf(name);
  }

  public static BufferManifest of(TrajectoryMetadata common, int numExperts, int epochs) {
    return new BufferManifest(common.model(), common.layout(), common.dataset(), numExperts,
        epochs, common.preprocessing(), common.optimizer(), common.regularizers(),
        common.version(), List.of());
  }

  /** Snapshots in a complete expert file: {@code epochs + 1}. */
  public int numSnapshots() {
    return epochs + 1;
  }

  /** The metadata of expert {@code expertIndex}'s file, trained with {@code seed}. */
  public TrajectoryMetadata metadataFor(int expertIndex, long seed) {
    checkArgument(expertIndex >= 0 && expertIndex < numExperts,
        "expertIndex must be in [0, %s), got %s", numExperts, expertIndex);
    return new TrajectoryMetadata(model, layout, dataset, preprocessing, optimizer, regularizers,
        seed, expertIndex, version);
  }

  /** This manifest with another list of complete experts. */
  public BufferManifest withCompleted(List<Integer> newCompleted) {
    return new BufferManifest(model, layout, dataset, numExperts, epochs, preprocessing,
        optimizer, regularizers, version, newCompleted);
  }

  /**
   * Whether experts of {@code other} may share a directory with experts of this manifest:
   * same model, layout, dataset, epochs and training settings (the number of experts, the
   * version and the completed list may differ).
   */
  public boolean sameTraining(BufferManifest other) {
    return model.equals(other.model) && layout.equals(other.layout)
        && dataset.equals(other.dataset) && epochs == other.epochs
        && preprocessing.equals(other.preprocessing) && optimizer.equals(other.optimizer)
        && regularizers.equals(other.regularizers);
  }

  /** Pretty-printed JSON, {@code format_version} first (docs/trajectory-format.md). */
  public String toJson() {
    ObjectNode n = TrajectoryJson.MAPPER.createObjectNode();
    n.put("format_version", TrajectoryFormat.FORMAT_VERSION);
    n.set("model", TrajectoryJson.modelToJson(model));
    n.set("params", TrajectoryJson.layoutToJson(layout));
    n.put("dataset", dataset);
    n.put("num_experts", numExperts);
    n.put("epochs", epochs);
    n.set("preprocessing", TrajectoryJson.MAPPER.valueToTree(preprocessing));
    n.set("optimizer", TrajectoryJson.MAPPER.valueToTree(optimizer));
    n.set("regularizers", TrajectoryJson.MAPPER.valueToTree(regularizers));
    n.put("version", version);
    ArrayNode done = n.putArray("completed");
    completed.forEach(done::add);
    return TrajectoryJson.writePretty(n);
  }

  /**
   * Parses {@link #toJson()}'s output.
   *
   * @throws IllegalArgumentException if it is not JSON, has another format_version, or a
   *     field is missing or malformed (the message names it)
   */
  public static BufferManifest fromJson(String json) {
    JsonNode n = TrajectoryJson.parse(json);
    checkArgument(n.isObject(), "manifest must be a JSON object");
    String version = TrajectoryJson.text(n, "format_version");
    checkArgument(version.equals(TrajectoryFormat.FORMAT_VERSION),
        "unsupported format_version \"%s\" (this dd4j reads \"%s\")", version,
        TrajectoryFormat.FORMAT_VERSION);
    List<Integer> completed = new ArrayList<>();
    JsonNode done = TrajectoryJson.required(n, "completed");
    checkArgument(done.isArray(), "completed must be a list, got %s", done);
    for (JsonNode i : done) {
      checkArgument(i.isIntegralNumber(), "completed entries must be integers, got %s", i);
      completed.add(i.asInt());
    }
    return new BufferManifest(
        TrajectoryJson.modelFromJson(TrajectoryJson.required(n, "model")),
        TrajectoryJson.layoutFromJson(TrajectoryJson.required(n, "params")),
        TrajectoryJson.text(n, "dataset"),
        TrajectoryJson.integer(n, "num_experts"),
        TrajectoryJson.integer(n, "epochs"),
        TrajectoryJson.objectFromJson(n.get("preprocessing"), "preprocessing"),
        TrajectoryJson.objectFromJson(n.get("optimizer"), "optimizer"),
        TrajectoryJson.listFromJson(n.get("regularizers"), "regularizers"),
        TrajectoryJson.text(n, "version"),
        completed);
  }
}
