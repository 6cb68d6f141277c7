package org.dd4j.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrajectoryReaderErrorsTest {

  @TempDir Path dir;

  private Path validFile() {
    return TestTrajectories.write(dir.resolve("expert-00000.arrow"),
        TestTrajectories.metadata(0), TestTrajectories.snapshots(4, 7));
  }

  private static void assertMessage(TrajectoryFormatException e, Path file, String... parts) {
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "missing \"" + p + "\" in: " + e.getMessage());
    }
  }

  /** Writes an Arrow IPC file with the trajectory columns but chosen metadata and list size. */
  private Path rawFile(String name, int listSize, Map<String, String> custom) throws IOException {
    Path file = dir.resolve(name);
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root =
            VectorSchemaRoot.create(TrajectoryFormat.schema(listSize, custom), alloc);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      w.start();
      root.setRowCount(0);
      w.writeBatch();
      w.end();
    }
    return file;
  }

  @Test
  void fileCutInHalfIsReportedAsTruncated() throws IOException {
    Path file = validFile();
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    TrajectoryFormatException e =
        assertThrows(TrajectoryFormatException.class, () -> TrajectoryReader.open(file));
    assertMessage(e, file, "not a complete Arrow IPC file (truncated", "write it again");
  }

  @Test
  void garbageIsNotAnArrowFile() throws IOException {
    Path file = dir.resolve("garbage.arrow");
    byte[] junk = new byte[4096];
    new java.util.Random(0).nextBytes(junk);
    Files.write(file, junk);
    assertMessage(assertThrows(TrajectoryFormatException.class,
        () -> TrajectoryReader.open(file)), file, "not a complete Arrow IPC file");
    Path empty = Files.createFile(dir.resolve("empty.arrow"));
    assertMessage(assertThrows(TrajectoryFormatException.class,
        () -> TrajectoryReader.open(empty)), empty, "not a complete Arrow IPC file");
  }

  @Test
  void missingFileIsNamed() {
    Path file = dir.resolve("nope.arrow");
    assertMessage(assertThrows(TrajectoryFormatException.class,
        () -> TrajectoryReader.open(file)), file, "does not exist");
  }

  @Test
  void unsupportedFormatVersionIsRefused() throws IOException {
    Map<String, String> custom = new HashMap<>(TestTrajectories.metadata(0).toSchemaMetadata());
    custom.put(TrajectoryFormat.KEY_FORMAT_VERSION, "2");
    Path file = rawFile("v2.arrow", TestTrajectories.P, custom);
    assertMessage(assertThrows(TrajectoryFormatException.class,
        () -> TrajectoryReader.open(file)), file, "unsupported format version \"2\"",
        "reads version \"1\"");
  }

  @Test
  void missingFormatVersionIsRefused() throws IOException {
    Map<String, String> custom = new HashMap<>(TestTrajectories.metadata(0).toSchemaMetadata());
    custom.remove(TrajectoryFormat.KEY_FORMAT_VERSION);
    Path file = rawFile("nov.arrow", TestTrajectories.P, custom);
    assertMessage(assertThrows(TrajectoryFormatException.class,
        () -> TrajectoryReader.open(file)), file, "no dd4j.format_version");
  }

  @Test
  void paramsColumnLengthMustMatchTheLayout() throws IOException {
    Path file = rawFile("len.arrow", 90, TestTrajectories.metadata(0).toSchemaMetadata());
    assertMessage(assertThrows(TrajectoryFormatException.class,
        () -> TrajectoryReader.open(file)), file,
        "params length mismatch: the params column holds 90 floats per snapshot but "
            + "dd4j.params describes 91");
  }

  @Test
  void modelMismatchNamesEveryDifferingField() {
    Path file = validFile();
    ModelSpec expected = ModelSpec.convNet(2, 128, new InputShape(4, 4, 1), 3);
    TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class,
        () -> TrajectoryReader.open(file, expected));
    assertMessage(e, file, "another model: depth 1 in file vs 2 expected; "
        + "width 4 in file vs 128 expected");
  }

  @Test
  void layoutMismatchIsNamed() {
    Path file = validFile();
    try (TrajectoryReader r = TrajectoryReader.open(file)) {
      assertMessage(assertThrows(TrajectoryFormatException.class,
          () -> r.checkLayout(new org.dd4j.models.ParamLayout(java.util.List.of(
              new org.dd4j.models.ParamShape("w", new long[] {91}))))), file,
          "parameter 0 is conv0.weight[3, 3, 1, 4] in file vs w[91] expected");
    }
  }

  @Test
  void snapshotIndexOutOfRange() {
    Path file = validFile();
    try (TrajectoryReader r = TrajectoryReader.open(file)) {
      assertMessage(assertThrows(TrajectoryFormatException.class, () -> r.snapshot(4)), file,
          "snapshot index 4 out of range [0, 4)");
      assertMessage(assertThrows(TrajectoryFormatException.class, () -> r.snapshot(-1)), file,
          "snapshot index -1 out of range");
      r.snapshot(3); // still usable
    }
  }
}
