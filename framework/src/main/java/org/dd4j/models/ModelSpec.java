package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Plain description of a network: enough to rebuild it and to check that a stored
 * trajectory belongs to it.
 *
 * @param name registered architecture name, e.g. "convnet", "vgg11", "resnet18-bn"
 * @param depth number of conv blocks (ConvNet-D), or 0 where the architecture fixes it
 * @param width channels per conv layer (ConvNet, default 128), or 0 where fixed
 * @param norm "instance", "batch" or "none"
 * @param pooling "avg" or "max" (ConvNet, AlexNet, VGG11); for ResNet18 the downsampling:
 *     "none" (stride-2 convs) or "avg" (stride-1 conv + 2x2 average pool, the _AP variants)
 * @param input shape of one input image
 * @param numClasses number of output logits
 */
public record ModelSpec(String name, int depth, int width, String norm, String pooling,
    InputShape input, int numClasses) {

  public ModelSpec {
    checkNotNull(name, "name");
    checkNotNull(norm, "norm");
    checkNotNull(pooling, "pooling");
    checkNotNull(input, "input");
    checkArgument(depth >= 0, "depth must be >= 0, got %s", depth);
    checkArgument(width >= 0, "width must be >= 0, got %s", width);
    checkArgument(numClasses >= 2, "numClasses must be >= 2, got %s", numClasses);
  }

  /** ConvNet-{@code depth} of {@code width} channels, instance norm, average pooling (spec 1). */
  public static ModelSpec convNet(int depth, int width, InputShape input, int numClasses) {
    return new ModelSpec("convnet", depth, width, "instance", "avg", input, numClasses);
  }
}
