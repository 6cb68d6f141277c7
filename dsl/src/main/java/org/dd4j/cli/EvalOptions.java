package org.dd4j.cli;

import org.dd4j.evaluate.EvalConfig;
import picocli.CommandLine.Option;

/** The evaluation protocol's options (spec section 6), shared by evaluate and distill. */
final class EvalOptions {

  @Option(names = {"--eval-epochs", "--epoch_eval_train"}, defaultValue = "300",
      description = "Epochs each evaluation network trains on the small set (reference "
          + "1000; lr x0.1 at half) (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = {"--eval-runs", "--num_eval"}, defaultValue = "5",
      description = "Networks trained per evaluation, K (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = {"--eval-batch", "--batch_train"}, defaultValue = "256",
      description = "Images per evaluation SGD step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = {"--eval-dsa"}, negatable = true, defaultValue = "true",
      fallbackValue = "true", description = "DSA while training evaluation networks "
          + "(default: on).")
  boolean dsa;

  @Option(names = {"--eval-seed"}, defaultValue = "0",
      description = "Seed of the evaluation networks (default: ${DEFAULT-VALUE}).")
  long seed;

  EvalConfig config() {
    return new EvalConfig(epochs, batch, 0.9, 5e-4, runs,
        dsa ? "color_crop_cutout_flip_scale_rotate" : "none", seed);
  }
}
