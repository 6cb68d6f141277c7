package org.dd4j.models;

import java.io.Serializable;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.dd4j.data.Dataset;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;

/**
 * An architecture by registered name, before the dataset fixes its input shape and class
 * count.
 *
 * @param name a name {@link ModelRegistry} knows, e.g. "convnet" (ConvNet-3) or "convnet-d4"
 * @param depth conv blocks, or null for the architecture's default
 * @param width channels per conv, or null for the default (128)
 */
public record ModelChoice(String name, Integer depth, Integer width) implements Serializable {

  /** @throws IllegalArgumentException for a non-positive depth or width */
  public ModelChoice {
    checkNotNull(name, "name");
    checkArgument(depth == null || depth > 0, "depth must be > 0, got %s", depth);
    checkArgument(width == null || width > 0, "width must be > 0, got %s", width);
  }

  /**
   * The full spec for a dataset.
   *
   * @throws IllegalArgumentException for an unknown architecture, listing the known ones
   */
  public ModelSpec spec(Dataset data) {
    var tr = data.train();
    return ModelRegistry.spec(name, depth, width,
        new InputShape(tr.height(), tr.width(), tr.channels()), data.numClasses());
  }
}
