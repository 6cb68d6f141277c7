package org.dd4j.interop;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dd4j.Dd4jVersion;
import org.dd4j.models.Model;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.BufferManifest;
import org.dd4j.storage.RunLayout;
import org.dd4j.storage.TrajectoryMetadata;
import org.dd4j.storage.TrajectoryWriter;

/**
 * {@code dd4j import buffer}: the authors' expert buffers ({@code replay_buffer_0.pt},
 * {@code replay_buffer_1.pt}, ... as MTT's, FTD's, DATM's and TESLA's {@code buffer.py} save
 * them: each file {@code torch.save} of a list of experts, each expert a list of epoch
 * snapshots 0..T, each snapshot the list of {@code net.parameters()} tensors) into a dd4j
 * buffer directory: {@code manifest.json}, one Arrow trajectory per expert (parameters
 * mapped by {@link TorchParameters}), {@code import.json} recording where each expert came
 * from (file, index in it, SHA-256 of the file), and, when the accuracies torch measured are
 * given, {@code metrics.jsonl} with them (what {@code dd4j inspect} shows).
 *
 * <p>Nothing is written under the output directory unless every expert converts: the buffer
 * is built in a hidden sibling directory and renamed into place at the end.
 */
public final class BufferImport {

  /** The provenance file in an imported buffer directory ({@link RunLayout#IMPORT}). */
  public static final String IMPORT_JSON = RunLayout.IMPORT;

  /** buffer.py's file names; imported in the order of N. */
  private static final Pattern BUFFER_FILE = Pattern.compile("replay_buffer_(\\d+)\\.pt");

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What the files do not say and the buffer records.
   *
   * @param model the network the experts are (its layout must fit every snapshot)
   * @param dataset registered dataset name the experts were trained on
   * @param preprocessing the preprocessing they saw, as {@code Preprocessing.describe()}
   * @param optimizer name and settings of their training, e.g. {@code {"name":"sgd",
   *     "lr":0.01,"momentum":0.0,"weight_decay":0.0,"batch_size":256}}
   * @param testAccuracy the test accuracy torch measured per expert and epoch 1..T (as
   *     fractions), or null when unknown
   */
  public record Settings(Model model, String dataset, Map<String, Object> preprocessing,
      Map<String, Object> optimizer, List<List<Double>> testAccuracy) {
    public Settings {
      checkNotNull(model, "model");
      checkNotNull(dataset, "dataset");
      checkNotNull(preprocessing, "preprocessing");
      checkNotNull(optimizer, "optimizer");
    }
  }

  /** What was imported: experts and epochs, and the buffer directory. */
  public record Result(Path dir, int experts, int epochs) {}

  private BufferImport() {}

  /**
   * The {@code replay_buffer_N.pt} files of {@code src} in the order of N.
   *
   * @throws TorchFormatException if there are none
   */
  public static List<Path> bufferFiles(Path src) {
    checkNotNull(src, "src");
    if (Files.isRegularFile(src)) {
      return List.of(src);
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> d = Files.newDirectoryStream(src)) {
      for (Path p : d) {
        if (BUFFER_FILE.matcher(p.getFileName().toString()).matches()) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + src, e);
    }
    if (files.isEmpty()) {
      throw new TorchFormatException(src, "holds no replay_buffer_N.pt file",
          "pass the directory buffer.py saved into (BUFFER_PATH/DATASET/MODEL)");
    }
    files.sort(Comparator.comparingInt(p -> {
      Matcher m = BUFFER_FILE.matcher(p.getFileName().toString());
      checkArgument(m.matches());
      return Integer.parseInt(m.group(1));
    }));
    return files;
  }

  /**
   * Imports {@code files} (in this order; experts numbered on across files) into {@code out}.
   *
   * @param out the buffer directory to create; must not exist or be empty
   * @throws TorchFormatException for a file that is unsafe, corrupt, or does not fit the model
   * @throws IllegalArgumentException if {@code out} holds files, or the accuracies do not
   *     match the experts
   */
  public static Result run(List<Path> files, Settings s, Path out) {
    checkArgument(!files.isEmpty(), "no buffer files to import");
    checkArgument(!Files.exists(out) || isEmptyDir(out), "%s already exists and is not an"
        + " empty directory; choose another --out", out);
    List<TorchFile> opened = new ArrayList<>();
    Path abs = out.toAbsolutePath();
    Path staging = abs.resolveSibling("." + abs.getFileName() + ".importing");
    try {
      List<ExpertRef> experts = new ArrayList<>();
      for (Path f : files) {
        TorchFile t = TorchFile.open(f);
        opened.add(t);
        List<?> list = list(t.root(), f, "the file", "a list of experts");
        for (int i = 0; i < list.size(); i++) {
          List<?> snaps = list(list.get(i), f, "expert " + i, "a list of epoch snapshots");
          experts.add(new ExpertRef(t, i, snaps));
        }
      }
      int snapshots = experts.get(0).snapshots.size();
      for (ExpertRef e : experts) {
        if (e.snapshots.size() != snapshots || snapshots < 2) {
          throw new TorchFormatException(e.file.path(), "expert " + e.index + " holds "
              + e.snapshots.size() + " snapshots, expert 0 of " + files.get(0).getFileName()
              + " holds " + snapshots + (snapshots < 2 ? " (a trajectory needs at least 2)"
              : ""), "import buffers trained for the same number of epochs together");
        }
      }
      int epochs = snapshots - 1;
      if (s.testAccuracy() != null) {
        checkArgument(s.testAccuracy().size() == experts.size(), "the accuracies list %s"
            + " experts, the files hold %s", s.testAccuracy().size(), experts.size());
        for (List<Double> a : s.testAccuracy()) {
          checkArgument(a.size() == epochs, "the accuracies list %s epochs per expert, the"
              + " files hold %s", a.size(), epochs);
        }
      }
      deleteRecursively(staging);
      Map<String, Object> optimizer = new LinkedHashMap<>(s.optimizer());
      TrajectoryMetadata common = new TrajectoryMetadata(s.model().spec(), s.model().layout(),
          s.dataset(), s.preprocessing(), optimizer, List.of(), 0, 0, Dd4jVersion.VERSION);
      BufferDirectory buffer = BufferDirectory.create(staging,
          BufferManifest.of(common, experts.size(), epochs));
      List<Map<String, Object>> provenance = new ArrayList<>();
      for (int e = 0; e < experts.size(); e++) {
        ExpertRef ref = experts.get(e);
        try (TrajectoryWriter w = buffer.newExpertWriter(e, 0)) {
          for (int t = 0; t <= epochs; t++) {
            String where = "expert " + ref.index + ", snapshot " + t;
            List<?> params = list(ref.snapshots.get(t), ref.file.path(), where,
                "a list of parameter tensors");
            w.append(t, TorchParameters.toDd4j(s.model(), params, ref.file.path(), where));
          }
          w.commit();
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("expert", e);
        p.put("file", ref.file.path().getFileName().toString());
        p.put("index_in_file", ref.index);
        provenance.add(p);
      }
      writeImportJson(staging, files, s, provenance, epochs);
      if (s.testAccuracy() != null) {
        writeMetrics(new RunLayout.Buffer(staging).metrics(), s.testAccuracy());
      }
      closeAll(opened);
      Files.createDirectories(abs.getParent());
      if (Files.exists(abs)) {
        Files.delete(abs); // empty, checked above
      }
      Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
      return new Result(abs, experts.size(), epochs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write buffer " + out, e);
    } finally {
      closeAll(opened);
      try {
        deleteRecursively(staging);
      } catch (IOException ignored) {
        // best effort: a hidden staging directory
      }
    }
  }

  private record ExpertRef(TorchFile file, int index, List<?> snapshots) {}

  /** The accuracies torch measured, from a JSON file with "test_accuracy": [[...], ...]. */
  public static List<List<Double>> readAccuracies(Path json) {
    JsonNode n;
    try {
      n = JSON.readTree(json.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(json + ": not a JSON file (" + e.getMessage() + ")",
          e);
    }
    JsonNode acc = n.get("test_accuracy");
    checkArgument(acc != null && acc.isArray(), "%s: needs \"test_accuracy\": a list per"
        + " expert of the test accuracy after each epoch 1..T", json);
    List<List<Double>> out = new ArrayList<>();
    for (JsonNode expert : acc) {
      checkArgument(expert.isArray(), "%s: test_accuracy must be a list of lists", json);
      List<Double> a = new ArrayList<>();
      expert.forEach(v -> {
        checkArgument(v.isNumber() && v.asDouble() >= 0 && v.asDouble() <= 1, "%s: accuracy"
            + " %s is not a fraction in [0, 1]", json, v);
        a.add(v.asDouble());
      });
      out.add(a);
    }
    return out;
  }

  private static void writeMetrics(Path metrics, List<List<Double>> acc) throws IOException {
    StringBuilder s = new StringBuilder();
    ObjectMapper compact = new ObjectMapper();
    for (int e = 0; e < acc.size(); e++) {
      for (int t = 0; t < acc.get(e).size(); t++) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expert", e);
        m.put("epoch", t + 1);
        m.put("test_acc", acc.get(e).get(t));
        m.put("measured_by", "torch (imported)");
        s.append(compact.writeValueAsString(m)).append('\n');
      }
    }
    AtomicFiles.writeString(metrics, s.toString());
  }

  private static void writeImportJson(Path dir, List<Path> files, Settings s,
      List<Map<String, Object>> experts, int epochs) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("imported_by", "dd4j import buffer " + Dd4jVersion.VERSION);
    m.put("format", "torch.save of a list of experts, each a list of epoch snapshots 0.."
        + epochs + ", each the list of net.parameters() tensors (MTT buffer.py)");
    List<Map<String, Object>> src = new ArrayList<>();
    for (Path f : files) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("file", f.toAbsolutePath().toString());
      e.put("sha256", sha256(f));
      src.add(e);
    }
    m.put("files", src);
    m.put("experts", experts);
    m.put("parameter_mapping", "PyTorch parameters() order; conv OIHW -> HWIO; classifier"
        + " [classes, F] -> [F, classes] with F as H, W, C");
    m.put("batch_norm_running_statistics", "not in parameters(), so not in the files:"
        + " distillation normalizes with batch statistics, as MTT's ReparamModule");
    if (s.testAccuracy() != null) {
      m.put("test_accuracy_torch", s.testAccuracy());
    }
    AtomicFiles.writeString(dir.resolve(IMPORT_JSON), JSON.writeValueAsString(m) + "\n");
  }

  static String sha256(Path f) throws IOException {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      try (var in = Files.newInputStream(f)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          d.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<?> list(Object o, Path file, String what, String expected) {
    if (o instanceof List<?> l) {
      return l;
    }
    if (o instanceof Object[] tuple) {
      return List.of(tuple);
    }
    throw new TorchFormatException(file, what + " is a " + (o == null ? "None"
        : o instanceof TorchTensor t ? t.toString() : o.getClass().getSimpleName())
        + ", expected " + expected, "pass a buffer saved by the authors' buffer.py");
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

  private static void closeAll(List<TorchFile> files) {
    files.forEach(TorchFile::close);
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
