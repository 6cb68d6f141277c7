package org.dd4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of the MNIST family (MNIST, Fashion-MNIST, KMNIST), gzipped or raw
 * (detected from the gzip magic bytes, not the file name).
 *
 * <p>Images are idx3 files (magic 2051: count, rows, cols, then one unsigned byte per pixel);
 * labels are idx1 files (magic 2049: count, then one unsigned byte per label). Pixels become
 * float32 in [0,1] (byte / 255), laid out NHWC with one channel.
 *
 * <p>References: LeCun et al., "The MNIST database" (file format section); Xiao, Rasul,
 * Vollgraf, "Fashion-MNIST" (2017).
 */
public final class IdxReader {

  static final int IMAGES_MAGIC = 2051;
  static final int LABELS_MAGIC = 2049;

  /** Fashion-MNIST class names, by label. */
  public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser",
      "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /** MNIST class names, by label: "0" .. "9". */
  public static final List<String> MNIST_CLASSES =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private IdxReader() {}

  /**
   * Reads a dataset directory holding {@code train-images-idx3-ubyte}, {@code
   * train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte},
   * each optionally with a {@code .gz} suffix.
   *
   * @param dir directory holding the four files
   * @param name name recorded in the returned dataset
   * @param classNames class names by label; labels must lie in [0, classNames.size())
   * @return train and test splits, images [N, H, W, 1] float32 in [0,1]
   * @throws DatasetException if the directory or a file is missing or any file is malformed
   */
  public static Dataset readDataset(Path dir, String name, List<String> classNames) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir + ": expected a directory of IDX files, found none");
    }
    ImageSet train = read(find(dir, "train-images-idx3-ubyte"),
        find(dir, "train-labels-idx1-ubyte"), classNames.size());
    ImageSet test = read(find(dir, "t10k-images-idx3-ubyte"),
        find(dir, "t10k-labels-idx1-ubyte"), classNames.size());
    return new Dataset(name, train, test, classNames);
  }

  /**
   * Reads one split from an images file and a labels file.
   *
   * @param imagesFile idx3 file (magic 2051), gzipped or raw
   * @param labelsFile idx1 file (magic 2049), gzipped or raw
   * @param numClasses labels must lie in [0, numClasses)
   * @return images [N, H, W, 1] float32 in [0,1] with their labels
   * @throws DatasetException on a wrong magic number, a truncated file, a label out of range or
   *     differing image and label counts
   */
  public static ImageSet read(Path imagesFile, Path labelsFile, int numClasses) {
    ByteBuffer images = ByteBuffer.wrap(readAllBytes(imagesFile));
    ByteBuffer labels = ByteBuffer.wrap(readAllBytes(labelsFile));
    checkHeader(imagesFile, images, IMAGES_MAGIC, 16);
    checkHeader(labelsFile, labels, LABELS_MAGIC, 8);
    int count = images.getInt(4);
    int rows = images.getInt(8);
    int cols = images.getInt(12);
    int labelCount = labels.getInt(4);
    if (count < 0 || rows <= 0 || cols <= 0) {
      throw DatasetException.mismatch(imagesFile, "a positive image count and shape",
          count + " images of " + rows + "x" + cols);
    }
    long pixelBytes = (long) count * rows * cols;
    checkLength(imagesFile, images, 16 + pixelBytes,
        count + " images of " + rows + "x" + cols);
    checkLength(labelsFile, labels, 8L + labelCount, labelCount + " labels");
    if (labelCount != count) {
      throw DatasetException.mismatch(labelsFile, count + " labels to match the " + count
          + " images of " + imagesFile, labelCount + " labels");
    }
    return new ImageSet(toUnitFloats(images.array(), 16, (int) pixelBytes),
        toLabels(labelsFile, labels.array(), 8, count, numClasses), rows, cols, 1);
  }

  private static Path find(Path dir, String baseName) {
    Path gz = dir.resolve(baseName + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path raw = dir.resolve(baseName);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    throw new DatasetException(dir + ": expected " + baseName + " or " + baseName
        + ".gz, found neither");
  }

  private static void checkHeader(Path file, ByteBuffer bytes, int magic, int headerBytes) {
    if (bytes.limit() < headerBytes) {
      throw DatasetException.mismatch(file, "an IDX header of " + headerBytes + " bytes",
          "a truncated file of " + bytes.limit() + " bytes");
    }
    int found = bytes.getInt(0);
    if (found != magic) {
      throw DatasetException.mismatch(file, "IDX magic number " + magic,
          found + " (is this the right file?)");
    }
  }

  private static void checkLength(Path file, ByteBuffer bytes, long expected, String what) {
    if (bytes.limit() < expected) {
      throw DatasetException.mismatch(file, expected + " bytes for " + what,
          "a truncated file of " + bytes.limit() + " bytes");
    }
  }

  /** The whole file, gunzipped when it starts with the gzip magic bytes 1f 8b. */
  static byte[] readAllBytes(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(file + ": expected a file, found none");
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      boolean gzipped = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      if (!gzipped) {
        return raw.readAllBytes();
      }
      try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
        return in.readAllBytes();
      }
    } catch (EOFException e) {
      throw new DatasetException(file + ": expected a complete gzip stream, found a truncated "
          + "one", e);
    } catch (IOException e) {
      throw new DatasetException(file + ": could not be read: " + e.getMessage(), e);
    }
  }

  /** Unsigned bytes to float32 in [0,1] (byte / 255). */
  static float[] toUnitFloats(byte[] bytes, int offset, int length) {
    float[] table = new float[256];
    for (int i = 0; i < 256; i++) {
      table[i] = i / 255f;
    }
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = table[bytes[offset + i] & 0xff];
    }
    return out;
  }

  private static int[] toLabels(Path file, byte[] bytes, int offset, int count, int numClasses) {
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = bytes[offset + i] & 0xff;
      if (labels[i] >= numClasses) {
        throw DatasetException.mismatch(file, "labels in [0, " + numClasses + ")",
            "label " + labels[i] + " at index " + i);
      }
    }
    return labels;
  }
}
