package org.dd4j.cli;

import org.dd4j.data.PreprocessingKinds;
import picocli.CommandLine.Option;

/** Options naming the dataset and its preprocessing, shared by the phase commands. */
final class DataOptions {

  @Option(names = {"--dataset"}, defaultValue = "fashion-mnist",
      description = "Registered dataset: fashion-mnist, mnist, cifar10, cifar100, "
          + "cifar10-jpeg, image-folder:<dir or .tar.gz> (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = {"--preprocess"}, defaultValue = "normalize",
      description = "Preprocessing fitted on the train split: none, normalize (per-channel "
          + "mean/std) or zca (ZCA whitening, eps 0.1) (default: ${DEFAULT-VALUE}).")
  String preprocess;

  @Option(names = {"--zca"}, description = "Shorthand for --preprocess zca (as MTT's --zca).")
  boolean zca;

  String preprocessing() {
    return zca ? "zca" : preprocess;
  }

  /** Loads and preprocesses the dataset, printing how long it took. */
  PreprocessingKinds.Prepared load(java.io.PrintWriter log) {
    return PreprocessingKinds.load(dataset, preprocessing(), log);
  }
}
