package org.dd4j.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.dd4j.buffer.BufferListener;
import org.dd4j.buffer.EpochResult;
import org.dd4j.storage.ConfigJson;

/**
 * The buffer's TensorBoard events: one run per expert, {@code tensorboard/expert-NNNNN/}
 * (so TensorBoard overlays the experts), with {@link Tags#TRAIN_LOSS}, {@link
 * Tags#TRAIN_ACC}, {@link Tags#TEST_ACC} and {@link Tags#LEARNING_RATE} per epoch (step =
 * the 1-based epoch) and the buffer's configuration as text at step 0. Flushed after every
 * epoch.
 *
 * <p>An expert is always trained from epoch 0 (an incomplete one is redone), so its directory
 * is emptied when it starts: a redone or retried expert leaves no duplicate steps.
 */
public final class BufferEvents implements BufferListener, AutoCloseable {

  private final Path dir;
  private final Map<String, Object> config;
  private EventWriter writer;

  /**
   * @param dir the buffer's tensorboard directory ({@code RunLayout.Buffer#tensorboard}), or
   *     a distributed attempt's own
   * @param config the buffer's resolved configuration (its config.json)
   */
  public BufferEvents(Path dir, Map<String, Object> config) {
    this.dir = dir;
    this.config = config;
  }

  /** The directory of one expert's events under a buffer's tensorboard directory. */
  public static Path expertDir(Path tensorboard, int expert) {
    return tensorboard.resolve(String.format("expert-%05d", expert));
  }

  @Override
  public void onExpertStart(int expert, int epochs, int stepsPerEpoch) {
    close();
    Path d = expertDir(dir, expert);
    deleteTree(d);
    writer = new EventWriter(d);
    writer.text(Tags.CONFIG, 0, "expert " + expert + "\n\n```json\n"
        + ConfigJson.text(config) + "\n```\n");
    writer.flush();
  }

  @Override
  public void onEpoch(EpochResult r) {
    if (writer == null) {
      return;
    }
    writer.scalar(Tags.TRAIN_LOSS, r.epoch(), r.trainLoss());
    writer.scalar(Tags.TRAIN_ACC, r.epoch(), r.trainAccuracy());
    writer.scalar(Tags.TEST_ACC, r.epoch(), r.testAccuracy());
    writer.scalar(Tags.LEARNING_RATE, r.epoch(), r.lr());
    writer.flush();
  }

  @Override
  public void onExpertEnd(int expert, Path file) {
    close();
  }

  /** Closes the current expert's file, if one is open. */
  @Override
  public void close() {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }

  /** Deletes {@code d} and everything in it, if it exists. */
  static void deleteTree(Path d) {
    if (!Files.exists(d)) {
      return;
    }
    try (Stream<Path> files = Files.walk(d)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + d, e);
    }
  }
}
