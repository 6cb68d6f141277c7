package org.dd4j.buffer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dd4j.Dd4jVersion;
import org.dd4j.augment.Augmentation;
import org.dd4j.data.Dataset;
import org.dd4j.engine.Permutations;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.BufferManifest;
import org.dd4j.storage.TrajectoryMetadata;
import org.dd4j.storage.TrajectoryWriter;
import org.dd4j.train.NetworkTrainer;
import org.dd4j.train.Training;

/**
 * The buffer phase of MTT: trains E experts on the real training set and stores each one's
 * parameters at initialization and after every epoch (T + 1 snapshots) in
 * {@code dir/expert-NNNNN.arrow}. Experts already complete in {@code dir} are skipped, and an
 * expert is written to a temporary file until its last epoch, so a crash loses at most the
 * expert in progress.
 *
 * <p>References: Cazenavette et al., CVPR 2022, section 3 ("expert trajectories"); spec
 * section 4.
 */
public final class BufferPhase {

  private final BufferConfig config;
  private final Augmentation augmentation;
  private final SessionOptions sessionOptions;

  public BufferPhase(BufferConfig config, Augmentation augmentation,
      SessionOptions sessionOptions) {
    this.config = config;
    this.augmentation = augmentation;
    this.sessionOptions = sessionOptions;
  }

  /**
   * Trains the missing experts.
   *
   * @param data preprocessed dataset whose image shape and classes match the model spec
   * @param dir buffer directory (created if absent)
   * @return the buffer, with all {@code config.experts()} experts complete
   * @throws IllegalArgumentException if the data does not fit the model
   * @throws org.dd4j.storage.TrajectoryFormatException if {@code dir} holds a buffer of
   *     another model or training setup
   */
  public BufferDirectory run(Dataset data, Path dir, List<BufferListener> listeners) {
    BufferDirectory buffer = open(data, dir);
    List<Integer> missing = buffer.missingExperts();
    for (int i = 0; i < config.experts(); i++) {
      if (!missing.contains(i)) {
        for (BufferListener l : listeners) {
          l.onExpertSkipped(i);
        }
      }
    }
    if (missing.isEmpty()) {
      return buffer;
    }
    try (NetworkTrainer trainer = newTrainer()) {
      for (int i : missing) {
        trainExpert(trainer, data, buffer, i, listeners);
      }
    }
    return buffer;
  }

  /**
   * Checks that the data fit the model and creates (or reopens, to continue) the buffer
   * directory with its manifest; trains nothing.
   *
   * @throws IllegalArgumentException if the data does not fit the model
   * @throws org.dd4j.storage.TrajectoryFormatException if {@code dir} holds a buffer of
   *     another model or training setup
   */
  public BufferDirectory open(Dataset data, Path dir) {
    var in = config.model().input();
    var tr = data.train();
    if (tr.height() != in.height() || tr.width() != in.width()
        || tr.channels() != in.channels() || data.numClasses() != config.model()
        .numClasses()) {
      throw new IllegalArgumentException(String.format(
          "dataset %s has %dx%dx%d images and %d classes but the model expects %s and %d",
          data.name(), tr.height(), tr.width(), tr.channels(), data.numClasses(), in,
          config.model().numClasses()));
    }
    Model model = ModelRegistry.create(config.model());
    Map<String, Object> optimizer = new LinkedHashMap<>(config.training().describe());
    optimizer.put("augmentation", config.training().augment() ? augmentation.describe()
        : Augmentation.none().describe());
    TrajectoryMetadata common = new TrajectoryMetadata(config.model(), model.layout(),
        config.dataset(), config.preprocessing(), optimizer,
        config.training().objective().describe(config.training().epochs()), config.seed(), 0,
        Dd4jVersion.VERSION);
    return BufferDirectory.create(dir,
        BufferManifest.of(common, config.experts(), config.training().epochs()));
  }

  /** A trainer for this phase's model and training, to pass to {@link #trainExpert}. */
  public NetworkTrainer newTrainer() {
    return new NetworkTrainer(ModelRegistry.create(config.model()), config.training(),
        augmentation, sessionOptions);
  }

  /**
   * Trains expert {@code expert} into {@code buffer}, seeded from (run seed, expert) by
   * {@link BufferConfig#expertSeed}, so that the file is the same bit for bit whichever
   * process trains it and whichever experts the trainer trained before (its graph is reused;
   * parameters, momentum and the augmentation's seed are reset). The file is written under a
   * temporary name and renamed when complete. The one unit of work of both the local loop
   * ({@link #run}) and the distributed buffer (one Spark task per expert).
   *
   * @return the expert's final file
   */
  public Path trainExpert(NetworkTrainer trainer, Dataset data, BufferDirectory buffer,
      int expert, List<BufferListener> listeners) {
    long seed = config.expertSeed(expert);
    SplittableRandom rng = new SplittableRandom(seed);
    float[] init = trainer.model().initialParams(rng.nextLong());
    trainer.reset(init);
    augmentation.reseed(rng.nextLong());
    Training t = config.training();
    int n = data.train().count();
    int stepsPerEpoch = (n + t.batchSize() - 1) / t.batchSize();
    for (BufferListener l : listeners) {
      l.onExpertStart(expert, t.epochs(), stepsPerEpoch);
    }
    Path file;
    try (TrajectoryWriter writer = buffer.newExpertWriter(expert, seed)) {
      writer.append(0, init);
      int[] order = Permutations.identity(n);
      for (int epoch = 1; epoch <= t.epochs(); epoch++) {
        Permutations.shuffle(order, rng);
        final int ep = epoch;
        NetworkTrainer.EpochStats s = trainer.trainEpoch(data.train(), order, epoch - 1,
            (step, steps, loss) -> listeners.forEach(l -> l.onStep(expert, ep, step, loss)));
        double lr = s.learningRate();
        double testAccuracy = trainer.accuracy(data.test());
        writer.append(epoch, trainer.params());
        EpochResult r = new EpochResult(expert, epoch, lr, s.meanLoss(), s.accuracy(),
            testAccuracy, s.seconds(), s.images() / s.seconds());
        listeners.forEach(l -> l.onEpoch(r));
      }
      file = writer.commit();
    }
    for (BufferListener l : listeners) {
      l.onExpertEnd(expert, file);
    }
    return file;
  }
}
