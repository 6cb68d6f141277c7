package org.dd4j.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dd4j.data.DataChoice;
import org.dd4j.data.Dataset;
import org.dd4j.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A buffer trained on other data is refused by every reader (distillation from --buffer,
 * coreset embeddings, DD-Ranking's soft labels), naming what differs: dataset,
 * preprocessing, image shape, classes.
 */
class BufferDataTest {

  @TempDir Path tmp;

  /** A buffer of ConvNet experts on 4x4x1 images of 3 classes of fashion-mnist with ZCA. */
  private Path buffer() {
    Path dir = tmp.resolve("buf");
    TrajectoryMetadata m = new TrajectoryMetadata(TestTrajectories.MODEL,
        TestTrajectories.LAYOUT, "fashion-mnist", Map.of("name", "zca", "eps", 0.1),
        Map.of("name", "sgd", "lr", 0.01), List.of(), 1, 0, "0.1.0-test");
    BufferDirectory.create(dir, BufferManifest.of(m, 1, 2));
    return dir;
  }

  private static Dataset data(int side, int classes) {
    int n = classes;
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i;
    }
    ImageSet s = new ImageSet(new float[n * side * side], labels, side, side, 1);
    return new Dataset("d", s, s, java.util.stream.IntStream.range(0, classes)
        .mapToObj(String::valueOf).toList());
  }

  @Test
  void theSameDataIsAccepted() {
    Path dir = buffer();
    DataChoice same = new DataChoice("fashion-mnist", "zca");
    BufferData.requireSameData(dir, same);
    assertEquals("fashion-mnist",
        BufferData.openMatching(dir, same, data(4, 3)).manifest().dataset());
  }

  @Test
  void anotherDatasetIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> BufferData.openMatching(
        buffer(), new DataChoice("cifar10", "zca"), data(4, 3)));
    assertEquals("buffer " + tmp.resolve("buf") + " was trained on fashion-mnist with zca "
        + "preprocessing, but this run loads cifar10 with zca; pass --dataset fashion-mnist "
        + "--preprocess zca", e.getMessage());
  }

  @Test
  void anotherPreprocessingIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> BufferData.requireSameData(
        buffer(), new DataChoice("fashion-mnist", "none")));
    assertEquals("buffer " + tmp.resolve("buf") + " was trained on fashion-mnist with zca "
        + "preprocessing, but this run loads fashion-mnist with none; pass --dataset "
        + "fashion-mnist --preprocess zca", e.getMessage());
  }

  @Test
  void anotherImageShapeIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> BufferData.openMatching(
        buffer(), new DataChoice("fashion-mnist", "zca"), data(8, 3)));
    assertEquals("buffer " + tmp.resolve("buf") + "'s model takes 4x4x1 images and 3 "
        + "classes, the data has 8x8x1 and 3", e.getMessage());
  }

  @Test
  void otherClassesAreRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> BufferData.openMatching(
        buffer(), new DataChoice("fashion-mnist", "zca"), data(4, 10)));
    assertEquals("buffer " + tmp.resolve("buf") + "'s model takes 4x4x1 images and 3 "
        + "classes, the data has 4x4x1 and 10", e.getMessage());
  }
}
