package org.dd4j.storage;

import java.nio.file.Path;
import org.dd4j.data.DataChoice;
import org.dd4j.data.Dataset;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;

/**
 * Whether a buffer from elsewhere was trained on the data a run loads: the one check of every
 * reader of such a buffer (a distillation from {@code --buffer}, the coreset baselines'
 * embeddings, DD-Ranking's soft labels for its random subsets). A buffer's experts fit the
 * dataset, preprocessing, image shape and classes they were trained on; read with other data
 * they would give numbers that mean nothing, without an error.
 */
public final class BufferData {

  private BufferData() {}

  /**
   * Checks the buffer's recorded dataset and preprocessing, before the data are loaded.
   *
   * @throws IllegalArgumentException naming both and the options that load the buffer's data
   */
  public static void requireSameData(Path dir, DataChoice data) {
    BufferManifest manifest = BufferDirectory.open(dir).manifest();
    String prep = manifest.preprocessingName();
    if (!manifest.dataset().equals(data.dataset()) || !data.matchesRecorded(prep)) {
      throw new IllegalArgumentException(String.format("buffer %s was trained on %s with %s "
              + "preprocessing, but this run loads %s with %s; pass --dataset %s --preprocess "
              + "%s", dir, manifest.dataset(), prep, data.dataset(),
          data.resolvedPreprocess(), manifest.dataset(),
          PreprocessingKinds.recordedKind(prep)));
    }
  }

  /**
   * The buffer at {@code dir}, whose experts read the loaded data {@code d}.
   *
   * @throws IllegalArgumentException if it was trained on another dataset or preprocessing
   *     ({@link #requireSameData}), or its model takes other images or classes than {@code d}
   *     has
   */
  public static BufferDirectory openMatching(Path dir, DataChoice data, Dataset d) {
    requireSameData(dir, data);
    BufferDirectory buf = BufferDirectory.open(dir);
    ModelSpec ms = buf.manifest().model();
    InputShape in = new InputShape(d.train().height(), d.train().width(),
        d.train().channels());
    if (!ms.input().equals(in) || ms.numClasses() != d.numClasses()) {
      throw new IllegalArgumentException(String.format("buffer %s's model takes %s images "
          + "and %d classes, the data has %s and %d", dir, ms.input(), ms.numClasses(), in,
          d.numClasses()));
    }
    return buf;
  }
}
