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

  /**
   * Expert 0 valid, 1 truncated, 2 emptied, 3 with too few snapshots, 4 listed as complete
   * but deleted, 5 being written (temporary file), 6 not started: the scan says which and
   * why, the default policy refuses the unusable files, min_experts accepts them.
   */
  @Test
  void scanReportsEachSkippedExpertWithItsFileAndReason() throws IOException {
    Path buf = dir.resolve("buffer");
    BufferDirectory b = BufferDirectory.create(buf, manifest(7));
    for (int i = 0; i < 5; i++) {
      train(b, i);
    }
    byte[] bytes = Files.readAllBytes(b.expertPath(1));
    Files.write(b.expertPath(1), Arrays.copyOf(bytes, bytes.length / 2));
    Files.write(b.expertPath(2), new byte[0]);
    Files.delete(b.expertPath(3));
    TestTrajectories.write(b.expertPath(3), TestTrajectories.metadata(3),
        TestTrajectories.snapshots(EPOCHS, 9));
    Files.delete(b.expertPath(4));
    Files.writeString(buf.resolve(".expert-00005.arrow.tmp"), "half an expert");

    ExpertScan scan = BufferDirectory.open(buf).scan();
    assertEquals(List.of(0), scan.usable());
    assertEquals(List.of(1, 2, 3, 4, 5, 6),
        scan.skipped().stream().map(SkippedExpert::index).toList());
    var k = SkippedExpert.Kind.UNUSABLE;
    var n = SkippedExpert.Kind.NOT_TRAINED;
    assertEquals(List.of(k, k, k, k, n, n),
        scan.skipped().stream().map(SkippedExpert::kind).toList());
    for (SkippedExpert s : scan.skipped()) {
      assertEquals(b.expertPath(s.index()), s.file());
    }
    List<String> reasons = scan.skipped().stream().map(SkippedExpert::reason).toList();
    assertTrue(reasons.get(0).startsWith("is not a complete Arrow IPC file"), reasons.get(0));
    assertEquals("is empty (0 bytes)", reasons.get(1));
    assertEquals("holds 3 snapshots, a complete expert of this buffer holds 4 (epochs + 1)",
        reasons.get(2));
    assertEquals("is missing, but manifest.json lists it as complete (deleted?)",
        reasons.get(3));
    assertTrue(reasons.get(4).startsWith("still being trained"), reasons.get(4));
    assertTrue(reasons.get(5).startsWith("not trained yet"), reasons.get(5));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> scan.requireUsable(0));
    String msg = e.getMessage();
    assertTrue(msg.startsWith("buffer " + buf + ": 4 of 7 expert files are unusable: expert 1 ("
        + b.expertPath(1) + "): is not a complete Arrow IPC file"), msg);
    assertTrue(msg.contains("expert 2 (" + b.expertPath(2) + "): is empty (0 bytes)"), msg);
    assertTrue(msg.endsWith("or set min_experts (--min-experts N) to distil from the 1 valid"
        + " ones"), msg);
    assertFalse(msg.contains("expert 5"), "experts still being trained are allowed: " + msg);

    assertEquals(List.of(0), scan.requireUsable(1));
    e = assertThrows(IllegalArgumentException.class, () -> scan.requireUsable(2));
    assertTrue(e.getMessage().startsWith("buffer " + buf + " has 1 usable experts of 7,"
        + " min_experts is 2 (skipped: expert 1 ("), e.getMessage());
    assertEquals("minExperts must be >= 0, got -1", assertThrows(
        IllegalArgumentException.class, () -> scan.requireUsable(-1)).getMessage());
  }

  /** A buffer still being trained passes the default policy with the experts done so far. */
  @Test
  void bufferStillBeingTrainedPassesTheDefaultPolicy() throws IOException {
    Path buf = dir.resolve("buffer");
    BufferDirectory b = BufferDirectory.create(buf, manifest(3));
    train(b, 0);
    try (TrajectoryWriter w = b.newExpertWriter(1, 1001)) {
      w.append(0, TestTrajectories.snapshots(1, 5)[0]);
      ExpertScan scan = BufferDirectory.open(buf).scan();
      assertEquals(List.of(0), scan.requireUsable(0));
      assertTrue(scan.skipped().get(0).reason().startsWith("still being trained (its temporary"
          + " file .expert-00001.arrow.tmp is present)"), scan.skipped().get(0).reason());
    }
    BufferDirectory empty = BufferDirectory.create(dir.resolve("empty"), manifest(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> empty.scan().requireUsable(0));
    assertTrue(e.getMessage().contains("has 0 usable experts of 2, needs at least 1"),
        e.getMessage());
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
