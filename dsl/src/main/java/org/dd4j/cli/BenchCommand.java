package org.dd4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.dd4j.bench.EvalEpochBenchmark;
import org.dd4j.bench.TrainBenchmark;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.models.InputShape;
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
    subcommands = {BenchCommand.Train.class, BenchCommand.EvalEpoch.class,
        BenchDistillCommand.class})
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

  /** {@code dd4j bench eval-epoch}: what an evaluation epoch costs per architecture. */
  @Command(name = "eval-epoch", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Seconds per evaluation-training epoch for each architecture on random "
          + "images (SGD momentum 0.9, weight decay 5e-4, DSA; no data set needed), to price "
          + "a cross-architecture evaluation: epochs x K x this.")
  static final class EvalEpoch implements Callable<Integer> {

    @Mixin RuntimeOptions runtime;

    @Option(names = {"--models"}, split = ",", paramLabel = "NAME",
        defaultValue = "convnet,alexnet,vgg11,vgg11-bn,resnet18,resnet18-bn,resnet18-ap,"
            + "resnet18-bn-ap",
        description = "Architectures (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = {"--images"}, defaultValue = "100",
        description = "Images per epoch, e.g. C x ipc (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = {"--size"}, defaultValue = "32",
        description = "Image height and width (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = {"--channels"}, defaultValue = "3",
        description = "Image channels (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = {"--classes"}, defaultValue = "10",
        description = "Classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = {"--eval-batch"}, defaultValue = "256",
        description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = {"--eval-dsa"}, negatable = true, defaultValue = "true",
        fallbackValue = "true", description = "DSA on training batches (default: on).")
    boolean dsa;

    @Option(names = {"--epochs"}, defaultValue = "5",
        description = "Timed epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = {"--warmup"}, defaultValue = "2",
        description = "Untimed epochs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Spec CommandSpec command;

    @Override
    public Integer call() {
      if (runtime.threads == null) {
        runtime.threads = 2;
      }
      java.io.PrintWriter out = command.commandLine().getOut();
      InputShape in = new InputShape(size, size, channels);
      EvalConfig cfg = new EvalConfig(1, batch, 0.9, 5e-4, 1,
          dsa ? org.dd4j.augment.DsaConfig.DEFAULT_STRATEGY : org.dd4j.augment.DsaConfig.NONE, 0);
      out.printf("bench eval-epoch: %d images of %s, %d classes, batch %d, DSA %s, "
              + "%d threads; %d timed epochs after %d warm-up%n", images, in, classes, batch,
          dsa ? "on" : "off", runtime.threads, epochs, warmup);
      out.printf("  %-18s %12s %14s%n", "model", "parameters", "s / epoch");
      out.flush();
      for (String name : models) {
        ModelSpec spec = ModelRegistry.spec(name.strip(), null, null, in, classes);
        var model = ModelRegistry.create(spec);
        EvalEpochBenchmark.Result r = EvalEpochBenchmark.run(model, images, cfg, warmup,
            epochs, runtime.sessionOptions());
        out.printf("  %-18s %12d %14.3f%n", ModelRegistry.label(spec),
            model.layout().totalSize(), r.secondsPerEpoch());
        out.flush();
      }
      return 0;
    }
  }
}
