package org.dd4j.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.dd4j.Dd4jVersion;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;
import org.dd4j.synthetic.SyntheticSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticSetFileTest {

  @TempDir Path dir;

  private static final Map<String, Object> CONFIG = Map.of("method", "mtt", "syn_steps", 20,
      "lr_img", 1000.0, "zca", true, "schedule", Map.of("kind", "cosine", "steps", List.of(1, 2)));
  private static final Map<String, Object> PREP =
      Map.of("name", "normalize", "mean", List.of(0.5), "std", List.of(0.25));

  /** 3 classes x ipc 2 of 4x5x1 noise, with edge-case floats to check bit-exactness. */
  private static SyntheticSet set() {
    SyntheticSet s = SyntheticSet.initNoise(new InputShape(4, 5, 1), 3, 2, 0.0123456789,
        new SplittableRandom(7));
    float[] x = s.images();
    x[0] = -0.0f;
    x[1] = Float.MIN_VALUE;
    x[2] = Float.MAX_VALUE;
    x[3] = Float.intBitsToFloat(0x7fc00123); // a NaN with a payload
    return s.with(x, s.synLr());
  }

  private static void assertMessage(SyntheticSetFormatException e, Path file, String... parts) {
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "missing \"" + p + "\" in: " + e.getMessage());
    }
  }

  private static int[] bits(float[] x) {
    return Arrays.stream(toBoxed(x)).mapToInt(Float::floatToRawIntBits).toArray();
  }

  private static Float[] toBoxed(float[] x) {
    Float[] b = new Float[x.length];
    for (int i = 0; i < x.length; i++) {
      b[i] = x[i];
    }
    return b;
  }

  @Test
  void roundTripIsBitExactWithMetadata() {
    SyntheticSet s = set();
    Path file = dir.resolve("syn.arrow");
    SyntheticSetFile.write(file, s, 4200L, CONFIG, PREP);
    SyntheticSetFile.Loaded r = SyntheticSetFile.read(file);
    assertArrayEquals(bits(s.images()), bits(r.set().images()));
    assertArrayEquals(s.labels(), r.set().labels());
    assertEquals(s.shape(), r.set().shape());
    assertEquals(3, r.set().numClasses());
    assertEquals(2, r.set().ipc());
    assertEquals(Double.doubleToRawLongBits(s.synLr()),
        Double.doubleToRawLongBits(r.set().synLr()));
    assertEquals(4200L, r.iteration());
    assertEquals(CONFIG, r.config());
    assertEquals(PREP, r.preprocessing());
    assertEquals(Dd4jVersion.VERSION, r.dd4jVersion());
  }

  @Test
  void rgbSetRoundTripsAndOverwrites() {
    SyntheticSet a = SyntheticSet.initNoise(new InputShape(3, 3, 3), 2, 1, 0.01,
        new SplittableRandom(1));
    SyntheticSet b = SyntheticSet.initNoise(new InputShape(3, 3, 3), 2, 1, 0.02,
        new SplittableRandom(2));
    Path file = dir.resolve("syn.arrow");
    SyntheticSetFile.write(file, a, 0, Map.of(), Map.of());
    SyntheticSetFile.write(file, b, 1, Map.of(), Map.of());
    SyntheticSetFile.Loaded r = SyntheticSetFile.read(file);
    assertEquals(b, r.set());
    assertEquals(1, r.iteration());
    assertTrue(r.model().isEmpty(), "no model in its configuration");
    // a run's configuration records its model as the JSON of a ModelSpec
    ModelSpec spec = new ModelSpec("convnet", 2, 16, "instance", "avg", new InputShape(3, 3, 3),
        2);
    Map<String, Object> config = Map.of("model", Map.of("name", "convnet", "depth", 2,
        "width", 16, "norm", "instance", "pooling", "avg", "input",
        Map.of("height", 3, "width", 3, "channels", 3), "num_classes", 2));
    SyntheticSetFile.write(file, b, 2, config, Map.of());
    assertEquals(spec, SyntheticSetFile.read(file).model().orElseThrow());
    assertEquals(List.of(file.getFileName()), listDir());
  }

  @Test
  void missingFileNamesThePath() {
    Path file = dir.resolve("nope.arrow");
    assertMessage(assertThrows(SyntheticSetFormatException.class,
        () -> SyntheticSetFile.read(file)), file, "does not exist");
  }

  @Test
  void truncatedFileIsReported() throws IOException {
    Path file = dir.resolve("syn.arrow");
    SyntheticSetFile.write(file, set(), 1, CONFIG, PREP);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 40));
    assertMessage(assertThrows(SyntheticSetFormatException.class,
        () -> SyntheticSetFile.read(file)), file, "not a complete Arrow IPC file (truncated",
        "save the synthetic set again");
    Path junk = dir.resolve("junk.arrow");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    assertMessage(assertThrows(SyntheticSetFormatException.class,
        () -> SyntheticSetFile.read(junk)), junk, "not a complete Arrow IPC file");
  }

  @Test
  void trajectoryFileIsNamedAsSuch() {
    Path file = TestTrajectories.write(dir.resolve("expert-00000.arrow"),
        TestTrajectories.metadata(0), TestTrajectories.snapshots(2, 3));
    assertMessage(assertThrows(SyntheticSetFormatException.class,
        () -> SyntheticSetFile.read(file)), file,
        "this is an expert trajectory", "not a synthetic set", "TrajectoryReader");
  }

  @Test
  void otherKindAndVersionAreRefused() throws IOException {
    Map<String, String> m = new HashMap<>(validMetadata());
    m.put(SyntheticSetFile.KEY_KIND, "checkpoint");
    Path kind = raw("kind.arrow", 20, 6, m);
    assertMessage(assertThrows(SyntheticSetFormatException.class,
        () -> SyntheticSetFile.read(kind)), kind, "\"checkpoint\"", "not a synthetic set");
    m = new HashMap<>(validMetadata());
    m.put(SyntheticSetFile.KEY_FORMAT_VERSION, "3");
    Path version = raw("version.arrow", 20, 6, m);
    assertMessage(assertThrows(SyntheticSetFormatException.class,
        () -> SyntheticSetFile.read(version)), version, "unsupported format version \"3\"");
    Path none = raw("none.arrow", 20, 6, Map.of());
    assertMessage(assertThrows(SyntheticSetFormatException.class,
        () -> SyntheticSetFile.read(none)), none, "no dd4j.kind");
  }

  @Test
  void inconsistentLengthsAreReported() throws IOException {
    Path listSize = raw("list.arrow", 21, 6, validMetadata());
    assertMessage(assertThrows(SyntheticSetFormatException.class,
        () -> SyntheticSetFile.read(listSize)), listSize, "image length mismatch", "21",
        "H*W*C = 20");
    Path rows = raw("rows.arrow", 20, 5, validMetadata());
    assertMessage(assertThrows(SyntheticSetFormatException.class,
        () -> SyntheticSetFile.read(rows)), rows, "lengths are inconsistent", "5 rows",
        "= 6 images");
    Map<String, String> m = new HashMap<>(validMetadata());
    m.put(SyntheticSetFile.KEY_SYN_LR, "fast");
    Path meta = raw("meta.arrow", 20, 6, m);
    assertMessage(assertThrows(SyntheticSetFormatException.class,
        () -> SyntheticSetFile.read(meta)), meta, "invalid dd4j metadata");
  }

  @Test
  void failedWriteLeavesNoTemporaryFile() throws IOException {
    // The target is a non-empty directory: the data are written, the rename then fails.
    Path target = Files.createDirectory(dir.resolve("syn.arrow"));
    Files.writeString(target.resolve("keep"), "x");
    assertThrows(UncheckedIOException.class,
        () -> SyntheticSetFile.write(target, set(), 0, CONFIG, PREP));
    assertEquals(List.of(target.getFileName()), listDir());
    // A config that is not JSON-writable fails before any file is opened.
    Path file = dir.resolve("other.arrow");
    assertThrows(IllegalArgumentException.class,
        () -> SyntheticSetFile.write(file, set(), 0, Map.of("bad", new Object()), PREP));
    assertEquals(List.of(target.getFileName()), listDir());
  }

  private List<Path> listDir() {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(Path::getFileName).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Schema metadata of {@link #set()} (3 classes x ipc 2 of 4x5x1). */
  private static Map<String, String> validMetadata() {
    return Map.of(SyntheticSetFile.KEY_FORMAT_VERSION, "1", SyntheticSetFile.KEY_KIND,
        "synthetic_set", SyntheticSetFile.KEY_SHAPE, "[4,5,1]",
        SyntheticSetFile.KEY_NUM_CLASSES, "3", SyntheticSetFile.KEY_IPC, "2",
        SyntheticSetFile.KEY_SYN_LR, "0.01", SyntheticSetFile.KEY_ITERATION, "0",
        SyntheticSetFile.KEY_CONFIG, "{}", SyntheticSetFile.KEY_PREPROCESSING, "{}",
        SyntheticSetFile.KEY_VERSION, "test");
  }

  /** An Arrow file with the synthetic-set columns, chosen list size, rows and metadata. */
  private Path raw(String name, int listSize, int rows, Map<String, String> custom)
      throws IOException {
    Path file = dir.resolve(name);
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root =
            VectorSchemaRoot.create(SyntheticSetFile.schema(listSize, custom), alloc);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      root.getFieldVectors().forEach(v -> v.setInitialCapacity(rows));
      root.allocateNew();
      var label = (org.apache.arrow.vector.IntVector) root.getVector("label");
      var image =
          (org.apache.arrow.vector.complex.FixedSizeListVector) root.getVector("image");
      var data = (org.apache.arrow.vector.Float4Vector) image.getDataVector();
      for (int i = 0; i < rows; i++) {
        label.set(i, i / 2);
        image.setNotNull(i);
      }
      for (int j = 0; j < rows * listSize; j++) {
        data.set(j, 0.5f);
      }
      root.setRowCount(rows);
      w.start();
      w.writeBatch();
      w.end();
    }
    return file;
  }
}
