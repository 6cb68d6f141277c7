package org.dd4j.cli;

import org.dd4j.data.Dataset;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;
import picocli.CommandLine.Option;

/** Options choosing the network, shared by the phase commands. */
final class ModelOptions {

  @Option(names = {"--model"}, defaultValue = "convnet",
      description = "Registered architecture, e.g. convnet, convnet-d4 (default: "
          + "${DEFAULT-VALUE}).")
  String model;

  @Option(names = {"--depth"}, description = "ConvNet depth D (default: 3, or the name's).")
  Integer depth;

  @Option(names = {"--width"}, description = "ConvNet width: channels per conv "
      + "(default: 128).")
  Integer width;

  ModelSpec spec(Dataset data) {
    var t = data.train();
    return ModelRegistry.spec(model, depth, width,
        new InputShape(t.height(), t.width(), t.channels()), data.numClasses());
  }
}
