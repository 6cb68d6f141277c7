package org.dd4j.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dd4j.augment.DsaConfig;
import org.dd4j.distill.DistillConfig;
import org.dd4j.distill.DistillListener;
import org.dd4j.distill.Distiller;
import org.dd4j.distill.IterationResult;
import org.dd4j.distill.UnrollMode;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.BufferManifest;
import org.dd4j.storage.TrajectoryMetadata;
import org.dd4j.storage.TrajectoryWriter;
import org.dd4j.synthetic.SyntheticSet;

/**
 * What one distillation iteration costs: graph build time, the first iteration (TensorFlow's
 * graph optimisation), the median of the later ones, and the process's peak resident memory.
 * It needs no buffer and no dataset: one expert trajectory of the right shape is a random walk
 * from a PyTorch-style initialization, and the synthetic images start as noise, which is
 * enough for timing (the work per iteration does not depend on the values).
 *
 * <p>Peak RSS is a per-process figure, so the command line runs each configuration in its own
 * JVM ({@code dd4j bench distill} does).
 */
public final class DistillBenchmark {

  /**
   * One configuration.
   *
   * @param width ConvNet-3 width
   * @param synSteps N, unrolled student steps
   * @param dsa DSA strategy or "none"
   * @param unroll the {@code unroll} setting ("full", ...)
   * @param ipc images per class
   * @param batchSyn images per student step
   * @param expertEpochs M
   * @param iterations iterations to run, the first one untimed, &gt;= 2
   * @param input image shape (Fashion-MNIST: 28x28x1)
   * @param classes C
   */
  public record Config(int width, int synSteps, String dsa, String unroll, int ipc,
      int batchSyn, int expertEpochs, int iterations, InputShape input, int classes) {
    public Config {
      checkArgument(iterations >= 2, "iterations must be >= 2 (the first is untimed), got %s",
          iterations);
    }
  }

  /**
   * What it measured.
   *
   * @param buildSeconds building the graph and session
   * @param firstSeconds the first iteration (includes TensorFlow's graph optimisation)
   * @param medianSeconds median of iterations 2..
   * @param peakRssBytes VmHWM of this process at the end, or -1
   */
  public record Result(Config config, double buildSeconds, double firstSeconds,
      double medianSeconds, long peakRssBytes) {}

  private DistillBenchmark() {}

  /**
   * Runs {@code c} in this process.
   *
   * @param tmp a directory for the random trajectory (deleted by the caller)
   */
  public static Result run(Config c, Path tmp, SessionOptions session) {
    ModelSpec spec = ModelRegistry.spec("convnet", 3, c.width(), c.input(), c.classes());
    Model model = ModelRegistry.create(spec);
    BufferDirectory buffer = randomBuffer(model, spec, c.expertEpochs(), tmp);
    DistillConfig config = DistillConfig.builder().ipc(c.ipc()).synSteps(c.synSteps())
        .expertEpochs(c.expertEpochs()).maxStartEpoch(1).iterations(c.iterations())
        .lrImg(100).lrLr(1e-5).lrTeacher(0.01).batchSyn(c.batchSyn()).dsaStrategy(c.dsa())
        .parse("unroll", c.unroll()).build();
    List<Double> seconds = new ArrayList<>();
    DistillListener timer = new DistillListener() {
      @Override
      public void onIteration(IterationResult r) {
        seconds.add(r.seconds());
      }
    };
    long t0 = System.nanoTime();
    try (Distiller d = new Distiller(model, config, session)) {
      double build = (System.nanoTime() - t0) / 1e9;
      SyntheticSet start = SyntheticSet.initNoise(c.input(), c.classes(), c.ipc(), 0.01,
          new java.util.SplittableRandom(0));
      d.run(buffer, d.start(start), List.of(timer));
      checkArgument(seconds.size() == c.iterations(), "only %s of %s iterations were applied"
          + " (the others diverged); the timing would mix skipped iterations", seconds.size(),
          c.iterations());
      List<Double> later = new ArrayList<>(seconds.subList(1, seconds.size()));
      later.sort(Comparator.naturalOrder());
      double median = later.size() % 2 == 1 ? later.get(later.size() / 2)
          : (later.get(later.size() / 2 - 1) + later.get(later.size() / 2)) / 2;
      return new Result(c, build, seconds.get(0), median, ProcessMemory.peakRssBytes());
    }
  }

  /** One expert of M + 1 snapshots: an initialization and a random walk from it. */
  private static BufferDirectory randomBuffer(Model model, ModelSpec spec, int epochs,
      Path dir) {
    TrajectoryMetadata meta = new TrajectoryMetadata(spec, model.layout(), "random",
        Map.of("kind", "none"), Map.of("name", "sgd"), List.of(), 1, 0, "bench distill");
    BufferDirectory buf = BufferDirectory.create(dir, BufferManifest.of(meta, 1, epochs));
    float[] w = model.initialParams(1);
    Random r = new Random(2);
    try (TrajectoryWriter writer = buf.newExpertWriter(0, 1)) {
      for (int epoch = 0; epoch <= epochs; epoch++) {
        writer.append(epoch, w.clone());
        for (int i = 0; i < w.length; i++) {
          w[i] += 0.01f * (float) r.nextGaussian();
        }
      }
      writer.commit();
    }
    return buf;
  }

  /** A fresh temporary directory for {@link #run}. */
  public static Path tempDir() {
    try {
      return Files.createTempDirectory("dd4j-bench-distill");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  /**
   * The configuration's estimated peak memory in bytes: {@link UnrollMode}'s estimate for the
   * full unroll, 4 GB for the other modes (measured below 3 GB up to N 80 at width 128).
   */
  public static double estimatedBytes(Config c) {
    ModelSpec spec = ModelRegistry.spec("convnet", 3, c.width(), c.input(), c.classes());
    return c.unroll().equals("full") ? UnrollMode.estimateFullBytes(spec,
        c.classes() * c.ipc(), Math.min(c.batchSyn(), c.classes() * c.ipc()), c.synSteps())
        : 4e9;
  }

  /** The DSA strategy of a grid entry: "on" is MTT's default strategy, "off" none. */
  public static String dsa(boolean on) {
    return on ? DsaConfig.DEFAULT_STRATEGY : DsaConfig.NONE;
  }
}
