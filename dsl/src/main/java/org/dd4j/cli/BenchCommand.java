package org.dd4j.cli;

import java.util.concurrent.Callable;
import org.dd4j.bench.TrainBenchmark;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dd4j bench}: performance figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks that print their figures.",
    subcommands = {BenchCommand.Train.class})
final class BenchCommand {

  /** {@code dd4j bench train}: expert-training throughput and peak memory. */
  @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Expert-training throughput (images/s) and the process's peak RSS: "
          + "SGD steps on real images through the buffer phase's trainer. Defaults: "
          + "Fashion-MNIST, ConvNet-3 width 128, batch 256, 2 threads.")
  static final class Train implements Callable<Integer> {

    @Mixin DataOptions data;
    @Mixin ModelOptions model;
    @Mixin RuntimeOptions runtime;

    @Option(names = {"--batch-train", "--batch_train"}, defaultValue = "256",
        description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = {"--steps"}, defaultValue = "60",
        description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = {"--warmup"}, defaultValue = "5",
        description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Spec CommandSpec command;

    @Override
    public Integer call() {
      if (runtime.threads == null) {
        runtime.threads = 2;
      }
      java.io.PrintWriter out = command.commandLine().getOut();
      PreprocessingKinds.Prepared p = data.load(command.commandLine().getErr());
      ModelSpec spec = model.spec(p.data());
      out.printf("bench train: %s-d%d-w%d on %s (%s), batch %d, %d threads "
              + "(inter-op %d, grappler %s), %d timed steps after %d warm-up%n",
          spec.name(), spec.depth(), spec.width(), data.dataset, spec.input(), batch,
          runtime.threads, runtime.interOpThreads, runtime.grappler ? "on" : "off", steps,
          warmup);
      TrainBenchmark.Result r = TrainBenchmark.run(ModelRegistry.create(spec),
          p.data().train(), batch, warmup, steps, runtime.sessionOptions());
      out.println(r);
      out.flush();
      return 0;
    }
  }
}
