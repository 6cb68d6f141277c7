package org.dd4j.cli;

import org.dd4j.data.PreprocessingKinds;
import picocli.CommandLine.Option;

/** Options naming the dataset and its preprocessing, shared by the phase commands. */
final class DataOptions {

  @Option(names = {"--dataset"}, defaultValue = "fashion-mnist",
      description = "Registered dataset: fashion-mnist, mnist, cifar10, cifar100, "
          + "cifar10-jpeg, image-folder:<dir or .tar.gz> (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = {"--preprocess"},
      description = "Preprocessing: none; normalize (per-channel mean/std with the reference "
          + "code's constants for cifar10, cifar10-jpeg, cifar100, mnist, fashion-mnist, fitted "
          + "on the train split for other datasets); normalize-reference; normalize-fitted; "
          + "or zca (ZCA whitening, eps 0.1, fitted) (default: zca for cifar10, cifar10-jpeg "
          + "and cifar100, as MTT; normalize for the others; as in scripts).")
  String preprocess;

  @Option(names = {"--zca"}, description = "Shorthand for --preprocess zca (as MTT's --zca).")
  boolean zca;

  /** --zca, else --preprocess, else the dataset's ({@link PreprocessingKinds#defaultFor}). */
  String preprocessing() {
    return zca ? PreprocessingKinds.ZCA
        : preprocess != null ? preprocess : PreprocessingKinds.defaultFor(dataset);
  }

  /** Loads and preprocesses the dataset, printing how long it took. */
  PreprocessingKinds.Prepared load(java.io.PrintWriter log) {
    return PreprocessingKinds.load(dataset, preprocessing(), log);
  }
}
