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
      description = "Preprocessing: none; normalize (per-channel mean/std with the reference "
          + "code's constants for cifar10, cifar10-jpeg, cifar100, mnist, fashion-mnist, fitted "
          + "on the train split for other datasets); normalize-reference; normalize-fitted; "
          + "or zca (ZCA whitening, eps 0.1, fitted) (default: ${DEFAULT-VALUE}).")
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
