package org.dd4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryReaderTest {

  @TempDir Path dir;

  /** Pixel byte of image {@code seed} at plane c, row y, column x: distinct per position. */
  static int pixel(int seed, int c, int y, int x) {
    return (seed * 31 + c * 101 + y * 7 + x * 3) & 0xff;
  }

  /** One record: label bytes then R, G, B planes, each row-major 32x32. */
  static byte[] record(int seed, int... labels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int label : labels) {
      out.write(label);
    }
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          out.write(pixel(seed, c, y, x));
        }
      }
    }
    return out.toByteArray();
  }

  static void writeRecords(Path file, int firstSeed, int count, int labelBytes)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      int seed = firstSeed + i;
      out.writeBytes(labelBytes == 1 ? record(seed, seed % 10) : record(seed, seed % 20, seed % 100));
    }
    Files.write(file, out.toByteArray());
  }

  static void assertPixelsAt(ImageSet set, int index, int seed) {
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        for (int c = 0; c < 3; c++) {
          float found = set.images()[((index * 32 + y) * 32 + x) * 3 + c];
          assertEquals(pixel(seed, c, y, x) / 255f, found,
              "image " + index + " y=" + y + " x=" + x + " c=" + c);
        }
      }
    }
  }

  @Test
  void cifar10PlanesBecomeNhwcInFileOrder() throws IOException {
    for (int b = 1; b <= 5; b++) {
      writeRecords(dir.resolve("data_batch_" + b + ".bin"), b * 10, 2, 1);
    }
    writeRecords(dir.resolve("test_batch.bin"), 100, 3, 1);

    Dataset data = CifarBinaryReader.readCifar10(dir);

    assertEquals(10, data.train().count());
    assertEquals(3, data.test().count());
    assertEquals(CifarBinaryReader.CIFAR10_CLASSES, data.classNames());
    assertEquals(32, data.train().height());
    assertEquals(3, data.train().channels());
    assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, data.train().labels());
    assertPixelsAt(data.train(), 0, 10);
    assertPixelsAt(data.train(), 9, 51);
    assertPixelsAt(data.test(), 2, 102);
  }

  @Test
  void cifar10ClassNamesComeFromMetaFile() throws IOException {
    for (int b = 1; b <= 5; b++) {
      writeRecords(dir.resolve("data_batch_" + b + ".bin"), b, 1, 1);
    }
    writeRecords(dir.resolve("test_batch.bin"), 0, 1, 1);
    List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    Files.write(dir.resolve("batches.meta.txt"), (String.join("\n", names) + "\n\n").getBytes());
    assertEquals(names, CifarBinaryReader.readCifar10(dir).classNames());
  }

  @Test
  void cifar100UsesFineLabels() throws IOException {
    writeRecords(dir.resolve("train.bin"), 40, 4, 2);
    writeRecords(dir.resolve("test.bin"), 77, 1, 2);

    Dataset data = CifarBinaryReader.readCifar100(dir);

    assertEquals(100, data.numClasses());
    assertEquals("apple", data.classNames().get(0));
    assertEquals("worm", data.classNames().get(99));
    assertArrayEquals(new int[] {40, 41, 42, 43}, data.train().labels());
    assertArrayEquals(new int[] {77}, data.test().labels());
    assertPixelsAt(data.train(), 3, 43);
    assertPixelsAt(data.test(), 0, 77);
  }

  @Test
  void truncatedFileIsReported() throws IOException {
    Path file = dir.resolve("test.bin");
    Files.write(file, Arrays.copyOf(record(1, 0, 5), 3000));
    DatasetException e = assertThrows(DatasetException.class, () -> CifarBinaryReader
        .readRecords(List.of(file), CifarBinaryReader.LabelLayout.CIFAR100, 100));
    assertTrue(e.getMessage().contains(file.toString())
        && e.getMessage().contains("3074-byte records") && e.getMessage().contains("3000 bytes"),
        e.getMessage());
  }

  @Test
  void labelOutOfRangeIsReported() throws IOException {
    Path file = dir.resolve("b.bin");
    Files.write(file, record(1, 10));
    DatasetException e = assertThrows(DatasetException.class, () -> CifarBinaryReader
        .readRecords(List.of(file), CifarBinaryReader.LabelLayout.CIFAR10, 10));
    assertTrue(e.getMessage().contains("label 10 in record 0"), e.getMessage());
  }

  @Test
  void missingDirectoryAndFileAreReported() {
    assertThrows(DatasetException.class, () -> CifarBinaryReader.readCifar10(dir.resolve("x")));
    DatasetException e =
        assertThrows(DatasetException.class, () -> CifarBinaryReader.readCifar100(dir));
    assertTrue(e.getMessage().contains("train.bin"), e.getMessage());
  }
}
