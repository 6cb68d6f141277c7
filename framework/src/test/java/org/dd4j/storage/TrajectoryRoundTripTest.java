package org.dd4j.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrajectoryRoundTripTest {

  @TempDir Path dir;

  private static void assertBitExact(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          "element " + i);
    }
  }

  @Test
  void metadataAndEverySnapshotRoundTripBitExact() {
    float[][] snaps = TestTrajectories.snapshots(6, 1);
    TrajectoryMetadata meta = TestTrajectories.metadata(3);
    Path file = TestTrajectories.write(dir.resolve("expert-00003.arrow"), meta, snaps);
    try (TrajectoryReader r = TrajectoryReader.open(file, TestTrajectories.MODEL)) {
      assertEquals(meta, r.metadata());
      assertEquals(6, r.numSnapshots());
      assertEquals(TestTrajectories.P, r.paramCount());
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, r.epochs());
      for (int t = 0; t < snaps.length; t++) {
        assertBitExact(snaps[t], r.snapshot(t));
      }
      r.checkLayout(TestTrajectories.LAYOUT);
    }
  }

  @Test
  void randomAccessIsOrderIndependent() {
    float[][] snaps = TestTrajectories.snapshots(11, 2);
    Path file = TestTrajectories.write(dir.resolve("e.arrow"), TestTrajectories.metadata(0),
        snaps);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      for (int t = snaps.length - 1; t >= 0; t--) {
        order.add(t);
      }
    }
    Collections.shuffle(order, new Random(5));
    float[] into = new float[TestTrajectories.P];
    try (TrajectoryReader r = TrajectoryReader.open(file)) {
      for (int t : order) {
        r.snapshot(t, into);
        assertBitExact(snaps[t], into);
      }
      assertThrows(IllegalArgumentException.class, () -> r.snapshot(0, new float[3]));
    }
  }

  @Test
  void nonConsecutiveEpochsAreKept() {
    float[][] snaps = TestTrajectories.snapshots(3, 3);
    Path file = dir.resolve("e.arrow");
    try (TrajectoryWriter w = TrajectoryWriter.create(file, TestTrajectories.metadata(0))) {
      w.append(0, snaps[0]);
      w.append(5, snaps[1]);
      w.append(10, snaps[2]);
      w.commit();
    }
    try (TrajectoryReader r = TrajectoryReader.open(file)) {
      assertArrayEquals(new int[] {0, 5, 10}, r.epochs());
      assertBitExact(snaps[1], r.snapshot(1));
    }
  }

  @Test
  void exceptionBeforeCommitLeavesNoFinalAndNoTempFile() throws IOException {
    Path file = dir.resolve("expert-00000.arrow");
    float[][] snaps = TestTrajectories.snapshots(2, 4);
    RuntimeException e = assertThrows(RuntimeException.class, () -> {
      try (TrajectoryWriter w = TrajectoryWriter.create(file, TestTrajectories.metadata(0))) {
        w.append(0, snaps[0]);
        assertTrue(Files.exists(dir.resolve(".expert-00000.arrow.tmp")));
        assertFalse(Files.exists(file));
        w.append(1, snaps[1]);
        throw new RuntimeException("training diverged");
      }
    });
    assertEquals("training diverged", e.getMessage());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.toList());
    }
  }

  @Test
  void commitReplacesAStaleTempFileAndLeavesOnlyTheFinalFile() throws IOException {
    Path file = dir.resolve("expert-00001.arrow");
    Files.writeString(dir.resolve(".expert-00001.arrow.tmp"), "left by a crash");
    TestTrajectories.write(file, TestTrajectories.metadata(1), TestTrajectories.snapshots(2, 5));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void writerRejectsWrongLengthAndNonIncreasingEpochsAndEmptyCommit() {
    Path file = dir.resolve("e.arrow");
    try (TrajectoryWriter w = TrajectoryWriter.create(file, TestTrajectories.metadata(0))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> w.append(0, new float[90]));
      assertEquals("params length must be 91 (the layout's parameter count), got 90",
          e.getMessage());
      assertThrows(IllegalStateException.class, w::commit);
      w.append(1, new float[91]);
      assertThrows(IllegalArgumentException.class, () -> w.append(1, new float[91]));
      assertEquals(1, w.numSnapshots());
    }
    assertFalse(Files.exists(file));
  }
}
