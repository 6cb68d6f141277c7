package org.dd4j.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import com.google.common.hash.Hashing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file of decoded images, so that an image archive is decoded once. Layout (big-endian):
 * magic {@code "DD4JIMG1"}, class count and names (UTF), then train and test splits, each as
 * count, height, width, channels, labels (int32) and pixels (uint8, NHWC).
 *
 * <p>The file is keyed by the source's absolute path, size and modification time, and written to
 * a temporary file that is then renamed, so a reader never sees a partial cache. An unreadable
 * cache is ignored (logged) and rewritten.
 */
final class DecodedImageCache {

  private static final Logger log = LoggerFactory.getLogger(DecodedImageCache.class);
  private static final String MAGIC = "DD4JIMG1";

  private DecodedImageCache() {}

  /** The cache file for {@code source} under {@code cacheDir}. */
  static Path fileFor(Path cacheDir, Path source) {
    try {
      String key = source.toAbsolutePath().normalize() + "|" + Files.size(source) + "|"
          + Files.getLastModifiedTime(source).toMillis();
      String hash = Hashing.sha256().hashString(key, StandardCharsets.UTF_8).toString();
      return cacheDir.resolve("images-" + hash.substring(0, 16) + ".bin");
    } catch (IOException e) {
      throw new DatasetException(source + ": could not be inspected: " + e.getMessage(), e);
    }
  }

  /** The cached dataset, or empty when there is no usable cache file. */
  static Optional<Dataset> read(Path file, String name) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(
        new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      byte[] magic = in.readNBytes(MAGIC.length());
      if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
        log.warn("{}: not a dd4j image cache, ignored", file);
        return Optional.empty();
      }
      int classCount = in.readInt();
      List<String> classes = new ArrayList<>();
      for (int i = 0; i < classCount; i++) {
        classes.add(in.readUTF());
      }
      ImageSet train = readSet(in);
      ImageSet test = readSet(in);
      return Optional.of(new Dataset(name, train, test, classes));
    } catch (IOException | RuntimeException e) {
      log.warn("{}: unreadable image cache ({}), decoding again", file, e.toString());
      return Optional.empty();
    }
  }

  private static ImageSet readSet(DataInputStream in) throws IOException {
    int count = in.readInt();
    int height = in.readInt();
    int width = in.readInt();
    int channels = in.readInt();
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = in.readInt();
    }
    int size = Math.multiplyExact(Math.multiplyExact(count, height), width * channels);
    byte[] pixels = in.readNBytes(size);
    if (pixels.length != size) {
      throw new IOException("truncated: " + pixels.length + " of " + size + " pixel bytes");
    }
    return new ImageSet(IdxReader.toUnitFloats(pixels, 0, size), labels, height, width,
        channels);
  }

  /** Writes {@code data} to {@code file} atomically; failures are logged, not thrown. */
  static void write(Path file, Dataset data) {
    Path temp = null;
    try {
      Files.createDirectories(file.getParent());
      temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try (DataOutputStream out = new DataOutputStream(
          new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16))) {
        out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.writeInt(data.numClasses());
        for (String name : data.classNames()) {
          out.writeUTF(name);
        }
        writeSet(out, data.train());
        writeSet(out, data.test());
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      log.info("decoded images cached in {}", file);
    } catch (IOException e) {
      log.warn("{}: could not write image cache: {}", file, e.toString());
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  private static void writeSet(DataOutputStream out, ImageSet set) throws IOException {
    out.writeInt(set.count());
    out.writeInt(set.height());
    out.writeInt(set.width());
    out.writeInt(set.channels());
    for (int label : set.labels()) {
      out.writeInt(label);
    }
    float[] images = set.images();
    byte[] pixels = new byte[images.length];
    for (int i = 0; i < images.length; i++) {
      pixels[i] = (byte) Math.round(images[i] * 255f);
    }
    out.write(pixels);
  }
}
