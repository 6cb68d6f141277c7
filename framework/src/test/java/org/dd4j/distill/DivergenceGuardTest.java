package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard's checks, counting and stop without a distiller (Distiller*Test run it whole). */
class DivergenceGuardTest {

  @TempDir
  Path dir;

  private final DistillConfig config = CheckpointTest.config(); // lr_teacher 0.1
  private final DivergenceGuard guard = new DivergenceGuard(config);

  @Test
  void rejectsNonFiniteRunsAndUpdatesOutOfBounds() {
    float[] ok = {1f, -2f};
    assertEquals(Optional.empty(), guard.checkRun(0.5f, ok, 0.1f));
    assertEquals(Optional.of("loss is NaN"), guard.checkRun(Float.NaN, ok, 0.1f));
    assertEquals(Optional.of("image gradient is not finite"),
        guard.checkRun(0.5f, new float[] {1f, Float.POSITIVE_INFINITY}, 0.1f));
    assertEquals(Optional.of("syn_lr gradient is NaN"), guard.checkRun(0.5f, ok, Float.NaN));

    assertEquals(Optional.empty(), guard.checkUpdate(0.1, 0.11f, ok));
    assertTrue(guard.checkUpdate(0.1, -0.01f, ok).orElseThrow().startsWith(
        "syn_lr would become -0.01 (from 0.1)"));
    assertTrue(guard.checkUpdate(0.1, (float) (2 * config.maxSynLr()), ok).orElseThrow()
        .startsWith("syn_lr would explode"));
    assertEquals(Optional.of("images would become non-finite"),
        guard.checkUpdate(0.1, 0.11f, new float[] {Float.NaN}));
  }

  @Test
  void countsSkipsInARowAndGivesUpAtTheLimit() {
    DistillConfig two = DistillConfig.builder().ipc(2).synSteps(4).expertEpochs(2)
        .maxStartEpoch(2).iterations(20).lrImg(1).lrLr(1e-5).lrTeacher(0.1)
        .dsaStrategy(DistillConfig.NO_DSA)
        .maxConsecutiveFailures(2).build();
    DivergenceGuard g = new DivergenceGuard(two);
    DistillState s0 = CheckpointTest.state(); // iteration 13, 2 failures so far
    DistillState fresh = new DistillState(s0.set(), s0.imageOptimizer(), s0.lrOptimizer(), 13,
        0);
    var segment = new SegmentSampler.Segment(1, 3, new float[0]);
    SkippedIteration first = g.skip(fresh, segment, "loss is NaN", Float.NaN);
    assertEquals(new SkippedIteration(13, 1, 3, "loss is NaN", Float.NaN, 1), first);
    assertFalse(g.givesUp(first));
    DistillState kept = DivergenceGuard.kept(fresh, first);
    assertEquals(14, kept.nextIteration());
    assertEquals(1, kept.consecutiveFailures());
    assertEquals(fresh.set(), kept.set());
    assertEquals(fresh.imageOptimizer(), kept.imageOptimizer());
    SkippedIteration second = g.skip(kept, segment, "loss is NaN", Float.NaN);
    assertEquals(2, second.consecutive());
    assertTrue(g.givesUp(second));
  }

  @Test
  void divergedRollsBackToTheCheckpointOrSaysWhyNot() {
    SkippedIteration s = new SkippedIteration(20, 0, 1, "loss is NaN", Float.NaN, 3);
    var none = guard.diverged(s, Optional.empty());
    assertTrue(none.getMessage().startsWith("distillation diverged: 3 iterations in a row"
        + " were skipped, the last at iteration 20 (expert 0, start epoch 1): loss is NaN;"
        + " lower lr_img (1.0)"), none.getMessage());
    assertTrue(none.rolledBackTo().isEmpty());

    Path file = dir.resolve(Checkpoint.FILE_NAME);
    DistillState good = CheckpointTest.state(); // iteration 13
    Checkpoint.save(file, good, config);
    var back = guard.diverged(s, Optional.of(file));
    assertEquals(good, back.rolledBackTo().orElseThrow());
    assertTrue(back.getMessage().contains("rolled back to iteration 13 of checkpoint " + file
        + " (the last good state; the 8 iterations after it are discarded)"), back.getMessage());

    var unreadable = guard.diverged(s, Optional.of(dir.resolve("missing.bin")));
    assertTrue(unreadable.getMessage().contains("could not roll back"), unreadable.getMessage());
    assertTrue(unreadable.rolledBackTo().isEmpty());
    assertEquals(1, unreadable.getSuppressed().length);
  }
}
