package org.dd4j.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary versions of CIFAR-10 and CIFAR-100 (the {@code cifar-10-batches-bin} and
 * {@code cifar-100-binary} directories of the official archives).
 *
 * <p>A CIFAR-10 record is 1 label byte then 3072 pixel bytes: the 1024 red values, then 1024
 * green, then 1024 blue, each plane row-major 32x32. A CIFAR-100 record has 2 label bytes
 * (coarse, fine) before the pixels; the fine label is used. Planes (CHW) become NHWC float32 in
 * [0,1] (byte / 255).
 *
 * <p>References: Krizhevsky, "Learning Multiple Layers of Features from Tiny Images" (2009);
 * https://www.cs.toronto.edu/~kriz/cifar.html (binary version).
 */
public final class CifarBinaryReader {

  static final int SIDE = 32;
  static final int PLANE = SIDE * SIDE;
  static final int PIXEL_BYTES = 3 * PLANE;

  /** CIFAR-10 class names by label, as in batches.meta.txt. */
  public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird",
      "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  /** CIFAR-100 fine class names by label, as in fine_label_names.txt. */
  public static final List<String> CIFAR100_CLASSES = List.of("apple", "aquarium_fish", "baby",
      "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle", "bowl", "boy", "bridge",
      "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle", "chair",
      "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup",
      "dinosaur", "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster",
      "house", "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard", "lion", "lizard",
      "lobster", "man", "maple_tree", "motorcycle", "mountain", "mouse", "mushroom", "oak_tree",
      "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree", "plain",
      "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
      "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake",
      "spider", "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank",
      "telephone", "television", "tiger", "tractor", "train", "trout", "tulip", "turtle",
      "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm");

  private CifarBinaryReader() {}

  /**
   * Reads CIFAR-10: {@code data_batch_1.bin .. data_batch_5.bin} (train, in that order) and
   * {@code test_batch.bin}; class names from {@code batches.meta.txt} if present.
   *
   * @param dir the {@code cifar-10-batches-bin} directory
   * @return images [N, 32, 32, 3] float32 in [0,1]; 50,000 train and 10,000 test for the
   *     official files
   * @throws DatasetException if the directory or a file is missing, a file is not a whole number
   *     of records, or a label is out of range
   */
  public static Dataset readCifar10(Path dir) {
    checkDirectory(dir);
    List<String> classes = classNames(dir.resolve("batches.meta.txt"), CIFAR10_CLASSES);
    List<Path> trainFiles = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      trainFiles.add(dir.resolve("data_batch_" + i + ".bin"));
    }
    ImageSet train = readRecords(trainFiles, LabelLayout.CIFAR10, classes.size());
    ImageSet test =
        readRecords(List.of(dir.resolve("test_batch.bin")), LabelLayout.CIFAR10, classes.size());
    return new Dataset("cifar10", train, test, classes);
  }

  /**
   * Reads CIFAR-100 with fine labels: {@code train.bin} and {@code test.bin}; class names from
   * {@code fine_label_names.txt} if present.
   *
   * @param dir the {@code cifar-100-binary} directory
   * @return images [N, 32, 32, 3] float32 in [0,1]; 50,000 train and 10,000 test for the
   *     official files
   * @throws DatasetException as {@link #readCifar10}
   */
  public static Dataset readCifar100(Path dir) {
    checkDirectory(dir);
    List<String> classes = classNames(dir.resolve("fine_label_names.txt"), CIFAR100_CLASSES);
    ImageSet train =
        readRecords(List.of(dir.resolve("train.bin")), LabelLayout.CIFAR100, classes.size());
    ImageSet test =
        readRecords(List.of(dir.resolve("test.bin")), LabelLayout.CIFAR100, classes.size());
    return new Dataset("cifar100", train, test, classes);
  }

  /** Where the label sits in a record: how many label bytes precede the pixels, which is used. */
  public enum LabelLayout {
    /** One label byte. */
    CIFAR10(1, 0),
    /** Coarse then fine label byte; the fine one is used. */
    CIFAR100(2, 1);

    final int labelBytes;
    final int labelIndex;

    LabelLayout(int labelBytes, int labelIndex) {
      this.labelBytes = labelBytes;
      this.labelIndex = labelIndex;
    }

    int recordBytes() {
      return labelBytes + PIXEL_BYTES;
    }
  }

  /**
   * Reads the records of several files, concatenated in the order given.
   *
   * @return images [N, 32, 32, 3] float32 in [0,1] with their labels
   * @throws DatasetException if a file is missing, is not a whole number of records, or holds a
   *     label outside [0, numClasses)
   */
  public static ImageSet readRecords(List<Path> files, LabelLayout layout, int numClasses) {
    List<byte[]> contents = new ArrayList<>();
    int count = 0;
    for (Path file : files) {
      byte[] bytes = IdxReader.readAllBytes(file);
      if (bytes.length == 0 || bytes.length % layout.recordBytes() != 0) {
        throw DatasetException.mismatch(file, "a whole number of " + layout.recordBytes()
            + "-byte records", bytes.length + " bytes (truncated or not a CIFAR "
            + (layout == LabelLayout.CIFAR10 ? "10" : "100") + " binary file?)");
      }
      contents.add(bytes);
      count = Math.addExact(count, bytes.length / layout.recordBytes());
    }
    float[] images = new float[ImageSet.floats(files.get(0).getParent() + " " + files.stream()
        .map(f -> String.valueOf(f.getFileName())).toList(), count, SIDE, SIDE, 3)];
    int[] labels = new int[count];
    float[] unit = new float[256];
    for (int i = 0; i < 256; i++) {
      unit[i] = i / 255f;
    }
    int n = 0;
    for (int f = 0; f < files.size(); f++) {
      byte[] bytes = contents.get(f);
      for (int rec = 0; rec < bytes.length; rec += layout.recordBytes(), n++) {
        int label = bytes[rec + layout.labelIndex] & 0xff;
        if (label >= numClasses) {
          throw DatasetException.mismatch(files.get(f), "labels in [0, " + numClasses + ")",
              "label " + label + " in record " + rec / layout.recordBytes());
        }
        labels[n] = label;
        int pixels = rec + layout.labelBytes;
        int out = n * PIXEL_BYTES;
        // CHW planes -> HWC: pixel p of plane c goes to out + p * 3 + c.
        for (int c = 0; c < 3; c++) {
          for (int p = 0; p < PLANE; p++) {
            images[out + p * 3 + c] = unit[bytes[pixels + c * PLANE + p] & 0xff];
          }
        }
      }
    }
    return new ImageSet(images, labels, SIDE, SIDE, 3);
  }

  private static void checkDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir + ": expected a directory of CIFAR binary files, found none");
    }
  }

  /** Non-blank lines of {@code file} if it exists, else {@code standard}. */
  private static List<String> classNames(Path file, List<String> standard) {
    if (!Files.isRegularFile(file)) {
      return standard;
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .map(String::strip).filter(line -> !line.isEmpty()).toList();
    } catch (IOException e) {
      throw new DatasetException(file + ": could not be read: " + e.getMessage(), e);
    }
  }
}
