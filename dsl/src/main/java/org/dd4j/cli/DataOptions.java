package org.dd4j.cli;

import org.dd4j.data.Dataset;
import org.dd4j.data.DatasetRegistry;
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
    long t0 = System.nanoTime();
    Dataset raw = DatasetRegistry.withBuiltins().load(dataset);
    long t1 = System.nanoTime();
    PreprocessingKinds.Prepared p = PreprocessingKinds.prepare(raw, preprocessing());
    long t2 = System.nanoTime();
    log.printf("dataset %s: %d train / %d test images %dx%dx%d, %d classes "
            + "(loaded in %.1f s, %s in %.1f s)%n", raw.name(), raw.train().count(),
        raw.test().count(), raw.train().height(), raw.train().width(),
        raw.train().channels(), raw.numClasses(), (t1 - t0) / 1e9, preprocessing(),
        (t2 - t1) / 1e9);
    log.flush();
    return p;
  }
}
