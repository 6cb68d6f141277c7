package org.dd4j.interop;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.dd4j.data.Preprocessing;
import org.dd4j.models.InputShape;
import org.dd4j.storage.SyntheticSetFile;
import org.dd4j.synthetic.SyntheticSet;

/**
 * {@code dd4j export SET --format pt|npz|safetensors|images}: a distilled set for PyTorch,
 * NumPy and anyone, each carrying the preprocessing (mean/std, or how to rebuild the ZCA) and
 * the run's configuration. Images leave dd4j NCHW (PyTorch's layout) in the preprocessed
 * space, as the authors' {@code images_best.pt}; hard labels int64; label logits (DATM)
 * float32 [n, C]; syn_lr a 0-d float64 tensor (float64 so that a round trip is exact).
 *
 * <p>The output directory appears complete or not at all (built in a hidden sibling, then
 * renamed).
 */
public final class SetExport {

  /** The formats of {@code --format}. */
  public enum Format {
    /** set.pt (one dict) and MTT/DATM's images_best.pt, labels_best.pt, lr_best.pt. */
    PT,
    /** set.npz for NumPy. */
    NPZ,
    /** set.safetensors. */
    SAFETENSORS,
    /** images/NNNNN.png de-normalized to [0, 255], labels.csv. */
    IMAGES;

    /** The name on the command line, e.g. "pt". */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The format named {@code name} ("pt", "npz", "safetensors", "images"). */
    public static Format parse(String name) {
      for (Format f : values()) {
        if (f.cliName().equals(name)) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown export format '" + name + "'; use pt,"
          + " npz, safetensors or images");
    }
  }

  public static final String SET_PT = "set.pt";
  public static final String IMAGES_PT = "images_best.pt";
  public static final String LABELS_PT = "labels_best.pt";
  public static final String LR_PT = "lr_best.pt";
  public static final String SET_NPZ = "set.npz";
  public static final String SET_SAFETENSORS = "set.safetensors";
  public static final String IMAGES_DIR = "images";
  public static final String LABELS_CSV = "labels.csv";
  /** Beside every export: the set's shape, syn_lr, preprocessing and configuration. */
  public static final String DESCRIPTION = "dd4j-set.json";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private SetExport() {}

  /**
   * Exports {@code loaded} into the new directory {@code out}.
   *
   * @param inverse undoes the preprocessing for {@link Format#IMAGES} (null: the set's
   *     recorded mean/std, or none); unused otherwise
   * @return the files written, relative to {@code out}
   * @throws IllegalArgumentException if {@code out} exists and is not an empty directory, or
   *     images need an inverse that the recorded preprocessing cannot give (ZCA)
   */
  public static List<String> write(SyntheticSetFile.Loaded loaded, Format format, Path out,
      Preprocessing inverse) {
    checkNotNull(loaded, "loaded");
    checkArgument(!Files.exists(out) || isEmptyDir(out), "%s already exists and is not an"
        + " empty directory; choose another --out", out);
    Path abs = out.toAbsolutePath();
    Path staging = abs.resolveSibling("." + abs.getFileName() + ".exporting");
    try {
      BufferImport.deleteRecursively(staging);
      Files.createDirectories(staging);
      List<String> files = switch (format) {
        case PT -> writePt(loaded, staging);
        case NPZ -> writeNpz(loaded, staging);
        case SAFETENSORS -> writeSafetensors(loaded, staging);
        case IMAGES -> writeImages(loaded, staging, inverse);
      };
      Files.writeString(staging.resolve(DESCRIPTION), description(loaded, format));
      files.add(DESCRIPTION);
      if (Files.exists(abs)) {
        Files.delete(abs);
      }
      Files.createDirectories(abs.getParent());
      Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export to " + out, e);
    } finally {
      try {
        BufferImport.deleteRecursively(staging);
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  /** Images [n, C, H, W] float32. */
  static TorchTensor images(SyntheticSet s) {
    InputShape sh = s.shape();
    return TorchTensor.ofFloats(TorchSets.nhwcToNchw(s.images(), s.count(), sh.height(),
        sh.width(), sh.channels()), s.count(), sh.channels(), sh.height(), sh.width());
  }

  static TorchTensor labels(SyntheticSet s) {
    long[] l = new long[s.count()];
    int[] labels = s.labels();
    for (int i = 0; i < l.length; i++) {
      l[i] = labels[i];
    }
    return TorchTensor.ofLongs(l, l.length);
  }

  static TorchTensor logits(SyntheticSet s) {
    return TorchTensor.ofFloats(s.labelLogits(), s.count(), s.numClasses());
  }

  private static List<String> writePt(SyntheticSetFile.Loaded loaded, Path dir) {
    SyntheticSet s = loaded.set();
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("images", images(s));
    all.put("labels", labels(s));
    if (s.hasSoftLabels()) {
      all.put("label_logits", logits(s));
    }
    all.put("syn_lr", TorchTensor.ofDoubles(new double[] {s.synLr()}));
    all.put("ipc", s.ipc());
    all.put("num_classes", s.numClasses());
    all.put("iteration", loaded.iteration());
    all.put("preprocessing", json(loaded.preprocessing()));
    all.put("config", json(loaded.config()));
    all.put("dd4j_version", loaded.dd4jVersion());
    TorchFile.write(dir.resolve(SET_PT), all);
    TorchFile.write(dir.resolve(IMAGES_PT), images(s));
    TorchFile.write(dir.resolve(LABELS_PT), s.hasSoftLabels() ? logits(s) : labels(s));
    TorchFile.write(dir.resolve(LR_PT), TorchTensor.ofDoubles(new double[] {s.synLr()}));
    return new ArrayList<>(List.of(SET_PT, IMAGES_PT, LABELS_PT, LR_PT));
  }

  private static List<String> writeNpz(SyntheticSetFile.Loaded loaded, Path dir)
      throws IOException {
    SyntheticSet s = loaded.set();
    NumpyArchive npz = new NumpyArchive().put("images", images(s)).put("labels", labels(s));
    if (s.hasSoftLabels()) {
      npz.put("label_logits", logits(s));
    }
    npz.put("syn_lr", TorchTensor.ofDoubles(new double[] {s.synLr()}))
        .putString("preprocessing", json(loaded.preprocessing()))
        .putString("config", json(loaded.config()));
    try (OutputStream out = Files.newOutputStream(dir.resolve(SET_NPZ))) {
      npz.writeTo(out);
    }
    return new ArrayList<>(List.of(SET_NPZ));
  }

  private static List<String> writeSafetensors(SyntheticSetFile.Loaded loaded, Path dir)
      throws IOException {
    SyntheticSet s = loaded.set();
    Safetensors st = new Safetensors().put("images", images(s)).put("labels", labels(s));
    if (s.hasSoftLabels()) {
      st.put("label_logits", logits(s));
    }
    st.put("syn_lr", TorchTensor.ofDoubles(new double[] {s.synLr()}))
        .metadata("preprocessing", json(loaded.preprocessing()))
        .metadata("config", json(loaded.config()))
        .metadata("ipc", Integer.toString(s.ipc()))
        .metadata("iteration", Long.toString(loaded.iteration()));
    try (OutputStream out = Files.newOutputStream(dir.resolve(SET_SAFETENSORS))) {
      st.writeTo(out);
    }
    return new ArrayList<>(List.of(SET_SAFETENSORS));
  }

  private static List<String> writeImages(SyntheticSetFile.Loaded loaded, Path dir,
      Preprocessing inverse) throws IOException {
    SyntheticSet s = loaded.set();
    float[] pixels = inverse != null ? inverse.invert(s.images())
        : recordedInverse(loaded.preprocessing(), s);
    InputShape sh = s.shape();
    int ch = sh.channels();
    checkArgument(ch == 1 || ch == 3, "PNG export needs 1 or 3 channels, got %s", ch);
    Path images = Files.createDirectories(dir.resolve(IMAGES_DIR));
    StringBuilder csv = new StringBuilder("file,label\n");
    for (int i = 0; i < s.count(); i++) {
      BufferedImage img = new BufferedImage(sh.width(), sh.height(),
          ch == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
      WritableRaster r = img.getRaster();
      for (int y = 0; y < sh.height(); y++) {
        for (int x = 0; x < sh.width(); x++) {
          for (int b = 0; b < ch; b++) {
            r.setSample(x, y, b, toByte(pixels[((i * sh.height() + y) * sh.width() + x) * ch
                + b]));
          }
        }
      }
      String name = String.format("%05d.png", i);
      ImageIO.write(img, "png", images.resolve(name).toFile());
      csv.append(IMAGES_DIR).append('/').append(name).append(',').append(s.labels()[i])
          .append('\n');
    }
    Files.writeString(dir.resolve(LABELS_CSV), csv);
    return new ArrayList<>(List.of(IMAGES_DIR + "/", LABELS_CSV));
  }

  /** x * std + mean per channel for a normalize preprocessing; as is for none. */
  private static float[] recordedInverse(Map<String, Object> pre, SyntheticSet s) {
    String name = String.valueOf(pre.get("name"));
    float[] x = s.images();
    if (name.equals("none") || pre.isEmpty()) {
      return x;
    }
    if (name.startsWith("normalize") && pre.get("mean") instanceof List<?> mean
        && pre.get("std") instanceof List<?> std) {
      int c = s.shape().channels();
      checkArgument(mean.size() == c && std.size() == c, "preprocessing %s has %s means for"
          + " %s channels", name, mean.size(), c);
      float[] out = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        int k = i % c;
        out[i] = (float) (x[i] * ((Number) std.get(k)).doubleValue()
            + ((Number) mean.get(k)).doubleValue());
      }
      return out;
    }
    throw new IllegalArgumentException("the set's preprocessing " + name + " cannot be undone"
        + " from what the file records; give the dataset so that it is fitted again");
  }

  private static int toByte(float v) {
    if (!(v > 0)) {
      return 0;
    }
    return v >= 1 ? 255 : Math.round(v * 255f);
  }

  /** dd4j-set.json: what every format carries, in one readable file. */
  static String description(SyntheticSetFile.Loaded loaded, Format format)
      throws JsonProcessingException {
    SyntheticSet s = loaded.set();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", format.cliName());
    m.put("images_layout", "NCHW float32, preprocessed space (as images_best.pt)");
    m.put("num_images", s.count());
    m.put("ipc", s.ipc());
    m.put("num_classes", s.numClasses());
    m.put("shape_chw", List.of(s.shape().channels(), s.shape().height(), s.shape().width()));
    m.put("syn_lr", s.synLr());
    m.put("soft_labels", s.hasSoftLabels());
    m.put("iteration", loaded.iteration());
    m.put("preprocessing", loaded.preprocessing());
    m.put("how_to_preprocess", howToPreprocess(loaded.preprocessing(), loaded.config()));
    m.put("config", loaded.config());
    m.put("dd4j_version", loaded.dd4jVersion());
    return JSON.writeValueAsString(m) + "\n";
  }

  /** How a consumer turns raw [0, 1] pixels into the set's space. */
  static String howToPreprocess(Map<String, Object> pre, Map<String, Object> config) {
    String name = String.valueOf(pre.get("name"));
    if (name.startsWith("normalize")) {
      return "x = (pixel / 255 - mean[c]) / std[c] per channel c, with mean and std above";
    }
    if (name.equals("zca")) {
      return "ZCA whitening fitted on the train split of " + config.getOrDefault("dataset",
          "the dataset") + " with eps " + pre.get("eps") + " (as MTT's --zca:"
          + " kornia.enhance.ZCAWhitening(eps=" + pre.get("eps") + ", compute_inv=True)"
          + ".fit(train images in [0, 1], NCHW)); x = zca(pixel / 255)";
    }
    return name.equals("none") ? "x = pixel / 255" : "see preprocessing";
  }

  static String json(Map<String, Object> m) {
    try {
      return new ObjectMapper().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static boolean isEmptyDir(Path p) {
    if (!Files.isDirectory(p)) {
      return false;
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }
}
