package org.dd4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads images laid out as {@code root/{train,test}/<class>/<image>.{png,jpg,jpeg}} ("ImageFolder"
 * layout), from a directory or straight from a {@code .tar.gz} archive without extracting it.
 *
 * <p>Classes are the sorted folder names of the train split (label = index in that order); the
 * test split may not hold a class the train split lacks. Images are ordered by class, then by
 * file name, and decoded in parallel with javax.imageio. Colour images give 3 channels (sRGB,
 * alpha dropped); grey images give 1 channel; all images of a dataset must share one shape. In an
 * archive, the {@code train} and {@code test} folders may sit under a top folder (e.g. {@code
 * cifar10-jpeg/train/...}).
 *
 * <p>Decoded archives can be cached (see {@link #cachedIn}): the pixels are kept as uint8 in one
 * file keyed by the archive's path, size and modification time, so a second load skips JPEG
 * decoding. Pixels are 8-bit in any case (16-bit grey images are rounded to 8 bits).
 */
public final class ImageFolderReader {

  private static final Logger log = LoggerFactory.getLogger(ImageFolderReader.class);
  static final List<String> SPLITS = List.of("train", "test");

  static {
    ImageIO.setUseCache(false);  // decode in memory, no temp files
  }

  private final Optional<Path> cacheDir;

  private ImageFolderReader(Optional<Path> cacheDir) {
    this.cacheDir = cacheDir;
  }

  /** A reader that decodes every image on every read. */
  public static ImageFolderReader uncached() {
    return new ImageFolderReader(Optional.empty());
  }

  /** A reader that caches decoded archives in {@code cacheDir} (created when needed). */
  public static ImageFolderReader cachedIn(Path cacheDir) {
    return new ImageFolderReader(Optional.of(cacheDir));
  }

  /** A reader caching in {@link CacheDir#resolve()} (env {@code DD4J_CACHE}). */
  public static ImageFolderReader withDefaultCache() {
    return cachedIn(CacheDir.resolve());
  }

  /**
   * Reads both splits.
   *
   * @param source a directory holding {@code train/} and {@code test/}, or a {@code .tar.gz}
   *     (or {@code .tgz}) archive of one
   * @param name name recorded in the returned dataset
   * @return images [N, H, W, C] float32 in [0,1], C = 3 for colour and 1 for grey
   * @throws DatasetException if the source or a split folder is missing, a class folder is empty,
   *     an image cannot be decoded (naming it), or images differ in shape (naming the first that
   *     differs from the first image)
   */
  public Dataset read(Path source, String name) {
    if (!Files.exists(source)) {
      throw new DatasetException(source + ": expected an image-folder directory or .tar.gz "
          + "archive, found nothing");
    }
    boolean archive = !Files.isDirectory(source);
    if (archive && cacheDir.isPresent()) {
      Path cacheFile = DecodedImageCache.fileFor(cacheDir.get(), source);
      Optional<Dataset> cached = DecodedImageCache.read(cacheFile, name);
      if (cached.isPresent()) {
        log.info("{}: decoded images read from cache {}", source, cacheFile);
        return cached.get();
      }
      Dataset decoded = decode(listArchive(source), name);
      DecodedImageCache.write(cacheFile, decoded);
      return decoded;
    }
    return decode(archive ? listArchive(source) : listDirectory(source), name);
  }

  /** One image file: its bytes come from memory (archive) or disk (directory). */
  private record ImageFile(String location, Path path, byte[] data) {
    byte[] bytes() {
      if (data != null) {
        return data;
      }
      try {
        return Files.readAllBytes(path);
      } catch (IOException e) {
        throw new DatasetException(location + ": could not be read: " + e.getMessage(), e);
      }
    }
  }

  /** split -> class -> file name -> image, all sorted; empty class folders kept. */
  private record Listing(String source, Map<String, TreeMap<String, TreeMap<String, ImageFile>>> splits) {}

  private static boolean isImageName(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    return !lower.startsWith(".")
        && (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg"));
  }

  private static Listing listDirectory(Path root) {
    Map<String, TreeMap<String, TreeMap<String, ImageFile>>> splits = new TreeMap<>();
    for (String split : SPLITS) {
      Path splitDir = root.resolve(split);
      if (!Files.isDirectory(splitDir)) {
        throw new DatasetException(splitDir + ": expected a directory of class folders, found "
            + "none");
      }
      TreeMap<String, TreeMap<String, ImageFile>> classes = new TreeMap<>();
      try (Stream<Path> classDirs = Files.list(splitDir)) {
        for (Path classDir : classDirs.filter(Files::isDirectory).toList()) {
          TreeMap<String, ImageFile> files = new TreeMap<>();
          try (Stream<Path> images = Files.list(classDir)) {
            images.filter(p -> Files.isRegularFile(p) && isImageName(p.getFileName().toString()))
                .forEach(p -> files.put(p.getFileName().toString(),
                    new ImageFile(p.toString(), p, null)));
          }
          classes.put(classDir.getFileName().toString(), files);
        }
      } catch (IOException e) {
        throw new DatasetException(splitDir + ": could not be listed: " + e.getMessage(), e);
      }
      splits.put(split, classes);
    }
    return new Listing(root.toString(), splits);
  }

  private static Listing listArchive(Path archive) {
    Map<String, TreeMap<String, TreeMap<String, ImageFile>>> splits = new TreeMap<>();
    for (String split : SPLITS) {
      splits.put(split, new TreeMap<>());
    }
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file, 1 << 16))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String[] parts = entry.getName().replaceAll("/+$", "").split("/");
        int depth = entry.isDirectory() ? 2 : 3;  // split/class or split/class/file
        if (parts.length < depth || !SPLITS.contains(parts[parts.length - depth])) {
          continue;
        }
        TreeMap<String, TreeMap<String, ImageFile>> classes = splits.get(parts[parts.length - depth]);
        TreeMap<String, ImageFile> files =
            classes.computeIfAbsent(parts[parts.length - depth + 1], c -> new TreeMap<>());
        String fileName = parts[parts.length - 1];
        if (!entry.isDirectory() && entry.isFile() && isImageName(fileName)) {
          files.put(fileName,
              new ImageFile(archive + "!/" + entry.getName(), null, tar.readAllBytes()));
        }
      }
    } catch (IOException e) {
      throw new DatasetException(archive + ": expected a readable .tar.gz archive, found: "
          + e.getMessage(), e);
    }
    for (String split : SPLITS) {
      if (splits.get(split).isEmpty()) {
        throw new DatasetException(archive + ": expected " + split + "/<class>/<image> entries, "
            + "found none");
      }
    }
    return new Listing(archive.toString(), splits);
  }

  private static Dataset decode(Listing listing, String name) {
    List<String> classNames = List.copyOf(listing.splits().get("train").keySet());
    if (classNames.isEmpty()) {
      throw new DatasetException(listing.source() + "/train: expected class folders, found none");
    }
    List<ImageSet> sets = new ArrayList<>();
    int[] shape = null;  // {height, width, channels} of the first image of the train split
    String shapeSource = null;
    for (String split : SPLITS) {
      List<ImageFile> files = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      for (var classEntry : listing.splits().get(split).entrySet()) {
        int label = classNames.indexOf(classEntry.getKey());
        String folder = listing.source() + "/" + split + "/" + classEntry.getKey();
        if (label < 0) {
          throw DatasetException.mismatch(Path.of(folder), "a class that train/ also has "
              + classNames, "a class only in " + split + "/");
        }
        if (classEntry.getValue().isEmpty()) {
          throw new DatasetException(folder + ": expected .png/.jpg/.jpeg images, found an "
              + "empty class folder");
        }
        for (ImageFile file : classEntry.getValue().values()) {
          files.add(file);
          labels.add(label);
        }
      }
      if (shape == null) {
        shape = decodeImage(files.get(0)).shape();
        shapeSource = files.get(0).location();
      }
      int length = ImageSet.floats(name + " (" + listing.source() + "/" + split + ")",
          files.size(), shape[0], shape[1], shape[2]); // before decoding them all
      DecodedImage[] decoded = new DecodedImage[files.size()];
      IntStream.range(0, files.size()).parallel()
          .forEach(i -> decoded[i] = decodeImage(files.get(i)));
      int size = shape[0] * shape[1] * shape[2];
      float[] unit = new float[256];
      for (int v = 0; v < 256; v++) {
        unit[v] = v / 255f;
      }
      float[] images = new float[length];
      for (int i = 0; i < decoded.length; i++) {
        if (!java.util.Arrays.equals(decoded[i].shape(), shape)) {
          throw new DatasetException(files.get(i).location() + ": expected an image of shape "
              + describe(shape) + " like " + shapeSource + ", found "
              + describe(decoded[i].shape()));
        }
        byte[] pixels = decoded[i].pixels();
        for (int p = 0; p < size; p++) {
          images[i * size + p] = unit[pixels[p] & 0xff];
        }
      }
      sets.add(new ImageSet(images, labels.stream().mapToInt(Integer::intValue).toArray(),
          shape[0], shape[1], shape[2]));
    }
    return new Dataset(name, sets.get(0), sets.get(1), classNames);
  }

  private static String describe(int[] shape) {
    return shape[0] + "x" + shape[1] + "x" + shape[2] + " (HxWxC)";
  }

  /** Pixels of one image as uint8, HWC. */
  record DecodedImage(int height, int width, int channels, byte[] pixels) {
    int[] shape() {
      return new int[] {height, width, channels};
    }
  }

  private static DecodedImage decodeImage(ImageFile file) {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(file.bytes()));
    } catch (IOException | RuntimeException e) {
      throw new DatasetException(file.location() + ": expected a PNG or JPEG image, found "
          + "unreadable data (" + e.getMessage() + ")", e);
    }
    if (image == null) {
      throw new DatasetException(file.location() + ": expected a PNG or JPEG image, found data "
          + "no ImageIO reader understands");
    }
    return toPixels(image);
  }

  /** uint8 HWC pixels: 1 channel for grey images, else 3 (sRGB, alpha dropped). */
  static DecodedImage toPixels(BufferedImage image) {
    int h = image.getHeight();
    int w = image.getWidth();
    if (image.getColorModel().getNumColorComponents() == 1
        && image.getColorModel().getColorSpace().getNumComponents() == 1) {
      Raster raster = image.getRaster();
      int bits = image.getColorModel().getComponentSize(0);
      int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
      byte[] out = new byte[h * w];
      long max = (1L << bits) - 1;
      for (int i = 0; i < samples.length; i++) {
        out[i] = (byte) (bits == 8 ? samples[i] : Math.round(samples[i] * 255.0 / max));
      }
      return new DecodedImage(h, w, 1, out);
    }
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] out = new byte[h * w * 3];
    for (int i = 0; i < argb.length; i++) {
      out[3 * i] = (byte) (argb[i] >> 16);
      out[3 * i + 1] = (byte) (argb[i] >> 8);
      out[3 * i + 2] = (byte) argb[i];
    }
    return new DecodedImage(h, w, 3, out);
  }
}
