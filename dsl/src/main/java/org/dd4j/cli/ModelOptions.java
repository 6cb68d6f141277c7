package org.dd4j.cli;

import org.dd4j.data.Dataset;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelChoice;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;
import picocli.CommandLine.Option;

/** Options choosing the network, shared by the phase commands. */
final class ModelOptions {

  @Option(names = {"--model"}, defaultValue = "convnet",
      description = "Registered architecture, e.g. convnet, convnet-d4, convnet-bn, alexnet, "
          + "vgg11, vgg11-bn, resnet18, resnet18-bn, resnet18-ap, resnet18-bn-ap (default: "
          + "${DEFAULT-VALUE}).")
  String model;

  @Option(names = {"--depth"}, description = "ConvNet depth D (default: "
      + ModelRegistry.DEFAULT_DEPTH + ", or the name's); ignored by architectures of fixed depth.")
  Integer depth;

  @Option(names = {"--width"}, description = "ConvNet width: channels per conv "
      + "(default: " + ModelRegistry.DEFAULT_WIDTH + ").")
  Integer width;

  /** Architecture {@code name} with --depth and --width where it takes them. */
  ModelChoice choice(String name) {
    boolean adjustable = ModelRegistry.takesDepthAndWidth(name);
    return new ModelChoice(name, adjustable ? depth : null, adjustable ? width : null);
  }

  ModelSpec spec(Dataset data) {
    return spec(model, data);
  }

  /** The spec of architecture {@code name}; --depth and --width apply where it takes them. */
  ModelSpec spec(String name, Dataset data) {
    var t = data.train();
    boolean adjustable = ModelRegistry.takesDepthAndWidth(name);
    return ModelRegistry.spec(name, adjustable ? depth : null, adjustable ? width : null,
        new InputShape(t.height(), t.width(), t.channels()), data.numClasses());
  }
}
