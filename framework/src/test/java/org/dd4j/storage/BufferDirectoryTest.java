package org.dd4j.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BufferDirectoryTest {

  private static final int EPOCHS = 3;

  @TempDir Path dir;

  private static BufferManifest manifest(int numExperts) {
    return BufferManifest.of(TestTrajectories.metadata(0), numExperts, EPOCHS);
  }

  private static void train(BufferDirectory b, int i) {
    float[][] snaps = TestTrajectories.snapshots(EPOCHS + 1, 100 + i);
    try (TrajectoryWriter w = b.newExpertWriter(i, 1000 + i)) {
      for (int t = 0; t <= EPOCHS; t++) {
        w.append(t, snaps[t]);
      }
      w.commit();
    }
  }

  @Test
  void manifestJsonRoundTrip() {
    BufferManifest m = manifest(5).withCompleted(List.of(3, 0, 3));
    assertEquals(List.of(0, 3), m.completed());
    String json = m.toJson();
    assertTrue(json.contains("\"format_version\" : \"1\""), json);
    assertEquals(m, BufferManifest.fromJson(json));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BufferManifest.fromJson(json.replace("\"format_version\" : \"1\"",
            "\"format_version\" : \"9\"")));
    assertTrue(e.getMessage().contains("unsupported format_version \"9\""), e.getMessage());
    assertEquals("numExperts must be > 0, got 0", assertThrows(IllegalArgumentException.class,
        () -> manifest(0)).getMessage());
  }

  @Test
  void completenessFollowsTheFilesAndTheManifestFollowsCommits() throws IOException {
    Path buf = dir.resolve("buffer");
    BufferDirectory b = BufferDirectory.create(buf, manifest(4));
    assertEquals(List.of(0, 1, 2, 3), b.missingExperts());
    train(b, 0);
    train(b, 2);
    assertEquals(List.of(0, 2), b.completeExperts());
    assertEquals(List.of(0, 2), BufferDirectory.open(buf).manifest().completed());
    assertEquals(buf.resolve("expert-00002.arrow"), b.expertPath(2));

    // An exception during training leaves expert 1 missing, with no file at all.
    assertThrows(IllegalStateException.class, () -> {
      try (TrajectoryWriter w = b.newExpertWriter(1, 7)) {
        w.append(0, new float[TestTrajectories.P]);
        throw new IllegalStateException("diverged");
      }
    });
    assertFalse(Files.exists(b.expertPath(1)));
    assertFalse(b.isComplete(1));

    // A truncated file and a trajectory with too few snapshots do not count as complete.
    byte[] bytes = Files.readAllBytes(b.expertPath(2));
    Files.write(b.expertPath(2), Arrays.copyOf(bytes, bytes.length / 2));
    TestTrajectories.write(b.expertPath(3), TestTrajectories.metadata(3),
        TestTrajectories.snapshots(EPOCHS, 9));
    assertEquals(List.of(0), b.completeExperts());
    assertEquals(List.of(1, 2, 3), b.missingExperts());

    try (TrajectoryReader r = b.openExpert(0)) {
      assertEquals(1000, r.metadata().seed());
      assertEquals(0, r.metadata().expertIndex());
      assertArrayEquals(new int[] {0, 1, 2, 3}, r.epochs());
      assertArrayEquals(TestTrajectories.snapshots(EPOCHS + 1, 100)[2], r.snapshot(2));
    }
  }

  @Test
  void reCreatingContinuesTheBufferAndCleansStaleTempFiles() throws IOException {
    Path buf = dir.resolve("buffer");
    BufferDirectory b = BufferDirectory.create(buf, manifest(3));
    train(b, 1);
    Path stale = buf.resolve(".expert-00002.arrow.tmp");
    Files.writeString(stale, "half an expert from a crashed run");
    assertEquals(List.of(1), b.completeExperts()); // listing ignores temporary files

    BufferDirectory again = BufferDirectory.create(buf, manifest(5));
    assertFalse(Files.exists(stale));
    assertEquals(5, again.manifest().numExperts());
    assertEquals(List.of(1), again.manifest().completed());
    assertEquals(List.of(0, 2, 3, 4), again.missingExperts());
  }

  @Test
  void writerForAnExpertAlreadyBeingWrittenIsRefused() {
    BufferDirectory b = BufferDirectory.create(dir, manifest(2));
    try (TrajectoryWriter w = b.newExpertWriter(0, 1)) {
      assertThrows(IllegalStateException.class, () -> b.newExpertWriter(0, 1));
      assertEquals(0, b.cleanStaleTempFiles()); // the live temporary file is kept
    }
    b.newExpertWriter(0, 1).close(); // released after close
  }

  @Test
  void modelMismatchIsReportedForTheBuffer() {
    Path buf = dir.resolve("buffer");
    BufferDirectory.create(buf, manifest(2));
    ModelSpec other = ModelSpec.convNet(1, 32, new InputShape(4, 4, 1), 3);
    TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class,
        () -> BufferDirectory.open(buf, other));
    assertTrue(e.getMessage().contains("width 4 in file vs 32 expected"), e.getMessage());

    TrajectoryMetadata m = TestTrajectories.metadata(0);
    BufferManifest otherOptimizer = new BufferManifest(m.model(), m.layout(), m.dataset(), 2,
        EPOCHS, m.preprocessing(), Map.of("name", "sgd", "lr", 0.003), m.regularizers(),
        m.version(), List.of());
    e = assertThrows(TrajectoryFormatException.class,
        () -> BufferDirectory.create(buf, otherOptimizer));
    assertTrue(e.getMessage().contains("other training settings"), e.getMessage());
  }

  @Test
  void openingADirectoryWithoutManifestFails() {
    TrajectoryFormatException e =
        assertThrows(TrajectoryFormatException.class, () -> BufferDirectory.open(dir));
    assertTrue(e.getMessage().contains("has no manifest.json"), e.getMessage());
  }
}
