package org.dd4j.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.SplittableRandom;
import org.dd4j.augment.Augmentation;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.Model;
import org.dd4j.train.NetworkTrainer;
import org.dd4j.train.Training;

/**
 * Expert-training throughput: {@code steps} SGD steps of {@code batchSize} real images after
 * {@code warmupSteps} untimed ones, through the same {@link NetworkTrainer} the buffer phase
 * uses.
 */
public final class TrainBenchmark {

  /**
   * @param imagesPerSecond timed images / timed wall-clock seconds
   * @param seconds timed wall-clock seconds
   * @param peakRssBytes the process's peak resident set size at the end (VmHWM)
   */
  public record Result(int images, double seconds, double imagesPerSecond, long peakRssBytes) {

    @Override
    public String toString() {
      return String.format("%d images in %.2f s: %.1f images/s; peak RSS %.2f GB", images,
          seconds, imagesPerSecond, peakRssBytes / 1e9);
    }
  }

  private TrainBenchmark() {}

  public static Result run(Model model, ImageSet train, int batchSize, int warmupSteps,
      int steps, SessionOptions options) {
    checkArgument(steps > 0, "steps must be > 0, got %s", steps);
    checkArgument(warmupSteps >= 0, "warmupSteps must be >= 0, got %s", warmupSteps);
    Training cfg = new Training(1, batchSize, 0.01, 1, new long[0], 0, 0, false);
    try (NetworkTrainer t = new NetworkTrainer(model, cfg, Augmentation.none(), options)) {
      t.reset(model.initialParams(0));
      SplittableRandom rng = new SplittableRandom(0);
      if (warmupSteps > 0) {
        t.trainEpoch(train, sample(train.count(), warmupSteps * batchSize, rng), 0, null);
      }
      int[] order = sample(train.count(), steps * batchSize, rng);
      long start = System.nanoTime();
      t.trainEpoch(train, order, 0, null);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(order.length, seconds, order.length / seconds,
          ProcessMemory.peakRssBytes());
    }
  }

  private static int[] sample(int n, int count, SplittableRandom rng) {
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = rng.nextInt(n);
    }
    return out;
  }
}
