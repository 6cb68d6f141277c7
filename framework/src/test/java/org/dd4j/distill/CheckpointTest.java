package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.dd4j.models.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @TempDir
  Path dir;

  static DistillConfig config() {
    return DistillConfig.builder().ipc(2).synSteps(4).expertEpochs(2).maxStartEpoch(2)
        .iterations(20).lrImg(1).lrLr(1e-5).lrTeacher(0.1).dsaStrategy(DistillConfig.NO_DSA)
        .seed(7).build();
  }

  /** A state with random images and momenta, including awkward values (-0, subnormal). */
  static DistillState state() {
    SplittableRandom r = new SplittableRandom(3);
    SyntheticSet set = SyntheticSet.initNoise(new InputShape(3, 2, 2), 3, 2, 0.0123456789, r);
    float[] mom = new float[set.images().length];
    for (int i = 0; i < mom.length; i++) {
      mom[i] = (float) r.nextGaussian();
    }
    mom[0] = -0f;
    mom[1] = Float.MIN_VALUE;
    return new DistillState(set, new SgdMomentum.State(mom, 11),
        new SgdMomentum.State(new float[] {-3.5e-4f}, 12), 13, 2);
  }

  @Test
  void roundTripsBitExactly() {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    DistillState s = state();
    Checkpoint.save(file, s, config());
    DistillState back = Checkpoint.load(file, config());
    assertEquals(s, back); // SyntheticSet and State compare arrays with Arrays.equals
    assertEquals(s.set().synLr(), back.set().synLr(), 0.0);
    assertArrayEquals(s.imageOptimizer().buffer(), back.imageOptimizer().buffer(), 0f);
    assertEquals(Float.floatToRawIntBits(-0f),
        Float.floatToRawIntBits(back.imageOptimizer().buffer()[0]));
    assertEquals(13, back.nextIteration());
    assertEquals(2, back.consecutiveFailures());
    assertEquals(12, back.lrOptimizer().steps());
    assertTrue(Checkpoint.loadIfPresent(file, config()).isPresent());
    assertTrue(Checkpoint.loadIfPresent(dir.resolve("none.bin"), config()).isEmpty());
  }

  @Test
  void saveReplacesAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    DistillState s = state();
    Checkpoint.save(file, s, config());
    DistillState later = new DistillState(s.set(), s.imageOptimizer(), s.lrOptimizer(), 20, 0);
    Checkpoint.save(file, later, config());
    assertEquals(later, Checkpoint.load(file, config()));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void truncatedFileIsRejectedClearly() throws IOException {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.save(file, state(), config());
    byte[] all = Files.readAllBytes(file);
    for (int keep : new int[] {all.length - 1, all.length / 2, 20, 5}) {
      Files.write(file, Arrays.copyOf(all, keep));
      CheckpointException e = assertThrows(CheckpointException.class,
          () -> Checkpoint.load(file, config()));
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("magic")
          || e.getMessage().contains("corrupt header"), keep + ": " + e.getMessage());
    }
  }

  @Test
  void flippedBitIsDetected() throws IOException {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.save(file, state(), config());
    byte[] all = Files.readAllBytes(file);
    all[all.length - 20] ^= 1; // inside the syn_lr momentum / last image values
    Files.write(file, all);
    var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, config()));
    assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
  }

  @Test
  void otherVersionOrNotACheckpointIsRejected() throws IOException {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.save(file, state(), config());
    byte[] all = Files.readAllBytes(file);
    all[8] = 9; // version, little-endian low byte
    Files.write(file, all);
    var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, config()));
    assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    Files.writeString(file, "{\"not\": \"a checkpoint\"}");
    e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, config()));
    assertTrue(e.getMessage().contains("not a dd4j distillation checkpoint"), e.getMessage());
  }

  @Test
  void differentSettingsAreNamed() {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.save(file, state(), config());
    DistillConfig other = config().toBuilder().synSteps(5).seed(8).build();
    var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, other));
    assertTrue(e.getMessage().contains("syn_steps = 4 in the checkpoint, 5 now")
        && e.getMessage().contains("seed = 7 in the checkpoint, 8 now"), e.getMessage());
    assertTrue(!e.getMessage().contains("iterations"), e.getMessage());
  }

  /** A run may be extended, and lr_img / lr_lr lowered after a divergence. */
  @Test
  void iterationsAndLearningRatesMayChange() {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.save(file, state(), config());
    DistillConfig changed = config().toBuilder().iterations(500).lrImg(0.1).lrLr(1e-6)
        .maxConsecutiveFailures(3).build();
    assertEquals(state(), Checkpoint.load(file, changed));
  }
}
