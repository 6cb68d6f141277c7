package org.dd4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir Path dir;

  /** An idx3 file: magic, count, rows, cols, then pixels. */
  static byte[] idx3(int magic, int count, int rows, int cols, byte[] pixels) {
    return ByteBuffer.allocate(16 + pixels.length)
        .putInt(magic).putInt(count).putInt(rows).putInt(cols).put(pixels).array();
  }

  static byte[] idx1(int magic, int count, byte[] labels) {
    return ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(count).put(labels)
        .array();
  }

  static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file))
        : Files.newOutputStream(file)) {
      out.write(bytes);
    }
  }

  @Test
  void readsGzippedAndRawFilesIntoUnitFloatsNhwc() throws IOException {
    byte[] pixels = {0, (byte) 255, (byte) 128, 1, 2, 3, 4, 5, 6, 7, 8, 9};  // 2 images 2x3
    write(dir.resolve("i.gz"), idx3(2051, 2, 2, 3, pixels), true);
    write(dir.resolve("l"), idx1(2049, 2, new byte[] {7, 3}), false);

    ImageSet set = IdxReader.read(dir.resolve("i.gz"), dir.resolve("l"), 10);

    assertEquals(2, set.count());
    assertEquals(2, set.height());
    assertEquals(3, set.width());
    assertEquals(1, set.channels());
    assertArrayEquals(new int[] {7, 3}, set.labels());
    assertEquals(0f, set.images()[0]);
    assertEquals(1f, set.images()[1]);
    assertEquals(128 / 255f, set.images()[2]);
    assertEquals(9 / 255f, set.images()[11]);
  }

  @Test
  void wrongMagicNamesFileAndNumbers() throws IOException {
    write(dir.resolve("i"), idx3(2049, 1, 1, 1, new byte[1]), false);
    write(dir.resolve("l"), idx1(2049, 1, new byte[1]), false);
    DatasetException e = assertThrows(DatasetException.class,
        () -> IdxReader.read(dir.resolve("i"), dir.resolve("l"), 10));
    assertTrue(e.getMessage().contains(dir.resolve("i").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("2051") && e.getMessage().contains("2049"),
        e.getMessage());
  }

  @Test
  void truncatedPixelsAreReported() throws IOException {
    write(dir.resolve("i"), idx3(2051, 3, 2, 2, new byte[10]), false);  // needs 12
    write(dir.resolve("l"), idx1(2049, 3, new byte[3]), false);
    DatasetException e = assertThrows(DatasetException.class,
        () -> IdxReader.read(dir.resolve("i"), dir.resolve("l"), 10));
    assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("28 bytes"),
        e.getMessage());
  }

  @Test
  void truncatedGzipStreamIsReported() throws IOException {
    write(dir.resolve("i.gz"), idx3(2051, 100, 8, 8, new byte[6400]), true);
    byte[] whole = Files.readAllBytes(dir.resolve("i.gz"));
    Files.write(dir.resolve("i.gz"), Arrays.copyOf(whole, whole.length / 2));
    write(dir.resolve("l"), idx1(2049, 100, new byte[100]), false);
    DatasetException e = assertThrows(DatasetException.class,
        () -> IdxReader.read(dir.resolve("i.gz"), dir.resolve("l"), 10));
    assertTrue(e.getMessage().contains("i.gz") && e.getMessage().contains("truncated"),
        e.getMessage());
  }

  @Test
  void labelCountMismatchIsReported() throws IOException {
    write(dir.resolve("i"), idx3(2051, 2, 1, 1, new byte[2]), false);
    write(dir.resolve("l"), idx1(2049, 3, new byte[3]), false);
    DatasetException e = assertThrows(DatasetException.class,
        () -> IdxReader.read(dir.resolve("i"), dir.resolve("l"), 10));
    assertTrue(e.getMessage().contains("2 labels") && e.getMessage().contains("found 3 labels"),
        e.getMessage());
  }

  @Test
  void labelOutOfRangeIsReported() throws IOException {
    write(dir.resolve("i"), idx3(2051, 1, 1, 1, new byte[1]), false);
    write(dir.resolve("l"), idx1(2049, 1, new byte[] {12}), false);
    DatasetException e = assertThrows(DatasetException.class,
        () -> IdxReader.read(dir.resolve("i"), dir.resolve("l"), 10));
    assertTrue(e.getMessage().contains("label 12"), e.getMessage());
  }

  @Test
  void missingDirectoryAndFileAreReported() throws IOException {
    DatasetException missingDir = assertThrows(DatasetException.class,
        () -> IdxReader.readDataset(dir.resolve("nope"), "mnist", IdxReader.MNIST_CLASSES));
    assertTrue(missingDir.getMessage().contains("nope"), missingDir.getMessage());
    DatasetException missingFile = assertThrows(DatasetException.class,
        () -> IdxReader.readDataset(dir, "mnist", IdxReader.MNIST_CLASSES));
    assertTrue(missingFile.getMessage().contains("train-images-idx3-ubyte"),
        missingFile.getMessage());
  }

  @Test
  void readsRealFashionMnist() {
    assumeTrue(Files.isDirectory(FASHION_MNIST), "Fashion-MNIST not installed");
    long start = System.nanoTime();
    Dataset data =
        IdxReader.readDataset(FASHION_MNIST, "fashion-mnist", IdxReader.FASHION_MNIST_CLASSES);
    System.out.printf("Fashion-MNIST 60000+10000 images loaded in %.2f s%n",
        (System.nanoTime() - start) / 1e9);

    assertEquals(60_000, data.train().count());
    assertEquals(10_000, data.test().count());
    assertEquals(28, data.train().height());
    assertEquals(28, data.train().width());
    assertEquals(1, data.train().channels());
    assertEquals(10, data.numClasses());
    int[] perClass = new int[10];
    for (int label : data.train().labels()) {
      perClass[label]++;
    }
    int[] sixThousand = new int[10];
    Arrays.fill(sixThousand, 6000);
    assertArrayEquals(sixThousand, perClass);
    assertEquals(9, data.train().labels()[0]);  // first training image is an ankle boot
    assertEquals(9, data.test().labels()[0]);
    double sum = 0;
    float max = 0;
    for (float v : data.train().images()) {
      sum += v;
      max = Math.max(max, v);
    }
    assertEquals(1f, max);
    // Mean pixel of the Fashion-MNIST training set, 0.2860 (widely quoted normalization value).
    assertEquals(0.2860, sum / data.train().images().length, 1e-4);
  }
}
