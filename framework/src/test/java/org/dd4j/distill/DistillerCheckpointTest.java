package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dd4j.augment.DsaConfig;
import org.dd4j.data.Dataset;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.Model;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.BufferManifest;
import org.dd4j.storage.TrajectoryMetadata;
import org.dd4j.storage.TrajectoryReader;
import org.dd4j.storage.TrajectoryWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Periodic checkpoints, resume after a kill, and rollback on divergence (DistillerTest's toy). */
class DistillerCheckpointTest {

  @TempDir
  static Path dir;
  static Dataset data;
  static BufferDirectory buffer;

  @BeforeAll
  static void trainBuffer() {
    data = DistillerTest.toyData();
    buffer = DistillerTest.toyBuffer(data, dir.resolve("buf"));
  }

  /** Stands in for a kill: stops the run after iteration {@code at} was applied. */
  static final class Kill extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  static DistillState run(DistillConfig config, BufferDirectory buf, DistillState from,
      CheckpointPolicy policy, List<DistillListener> listeners) {
    Model model = new ConvNet(DistillerTest.SPEC);
    try (Distiller d = new Distiller(model, config, SessionOptions.threads(2))) {
      DistillState start = from != null ? from : d.start(d.initialSet(data));
      return d.run(buf, start, listeners, policy);
    }
  }

  /**
   * Killed after iteration 3 with checkpoints every 2: the file holds iteration 2, and a
   * fresh distiller resumed from it ends where the uninterrupted run does.
   */
  @Test
  void resumedRunMatchesTheUninterruptedOne() {
    DistillConfig config = DistillerTest.toy().iterations(4)
        .dsaStrategy(DsaConfig.DEFAULT_STRATEGY).build();
    CheckpointPolicy whole = CheckpointPolicy.inRunDirectory(dir.resolve("whole"), 2);
    whole.file().getParent().toFile().mkdirs();
    DistillState uninterrupted = run(config, buffer, null, whole, List.of());
    assertEquals(uninterrupted, Checkpoint.load(whole.file(), config)); // saved at the end

    CheckpointPolicy killed = CheckpointPolicy.inRunDirectory(dir.resolve("killed"), 2);
    killed.file().getParent().toFile().mkdirs();
    DistillListener killer = new DistillListener() {
      @Override
      public void onIteration(IterationResult r) {
        if (r.iteration() == 3) {
          throw new Kill();
        }
      }
    };
    assertThrows(Kill.class, () -> run(config, buffer, null, killed, List.of(killer)));
    DistillState saved = Checkpoint.load(killed.file(), config);
    assertEquals(2, saved.nextIteration());

    DistillState resumed = run(config, buffer, saved, killed, List.of());
    assertEquals(4, resumed.nextIteration());
    assertArrayEquals(uninterrupted.set().images(), resumed.set().images(), 1e-6f);
    assertEquals(uninterrupted.set().synLr(), resumed.set().synLr(), 1e-9);
    assertArrayEquals(uninterrupted.imageOptimizer().buffer(),
        resumed.imageOptimizer().buffer(), 1e-6f);
    assertEquals(uninterrupted.imageOptimizer().steps(), resumed.imageOptimizer().steps());
    assertEquals(resumed, Checkpoint.load(killed.file(), config));
  }

  /**
   * Expert 0 of the toy buffer with a NaN in snapshot 3: iterations starting at epoch 0 work,
   * those starting at epoch 1 (target 3) are skipped; two in a row stop the run, which rolls
   * back to the last checkpoint taken after an applied iteration.
   */
  @Test
  void divergenceRollsBackToTheLastGoodCheckpoint() {
    Model model = new ConvNet(DistillerTest.SPEC);
    TrajectoryMetadata meta = new TrajectoryMetadata(DistillerTest.SPEC, model.layout(),
        "bands", Map.of("kind", "none"), Map.of("name", "sgd"), List.of(), 1, 0, "test");
    BufferDirectory bad = BufferDirectory.create(dir.resolve("nan"),
        BufferManifest.of(meta, 1, 4));
    try (TrajectoryReader good = buffer.openExpert(0);
        TrajectoryWriter writer = bad.newExpertWriter(0, 1)) {
      for (int epoch = 0; epoch <= 4; epoch++) {
        float[] snap = good.snapshot(epoch);
        if (epoch == 3) {
          snap[5] = Float.NaN;
        }
        writer.append(epoch, snap);
      }
      writer.commit();
    }
    // seed 0 starts at epochs 0 1 0 0 0 0 1 1 ...: saves at 0, 3 (deferred past the skip of
    // 1) and 5; iterations 6 and 7 are skipped, so the run rolls back to 5
    DistillConfig config = DistillerTest.toy().maxConsecutiveFailures(2).seed(0).build();
    CheckpointPolicy policy = CheckpointPolicy.inRunDirectory(dir.resolve("nan"), 2);
    DistillerTest.Recorder rec = new DistillerTest.Recorder();
    var e = assertThrows(DistillationDivergedException.class,
        () -> run(config, bad, null, policy, List.of(rec)));
    System.out.println(e.getMessage());
    System.out.println("applied " + rec.iterations.stream().map(IterationResult::iteration)
        .toList() + ", skipped " + rec.skipped.stream().map(SkippedIteration::iteration)
        .toList());
    DistillState onDisk = Checkpoint.load(policy.file(), config);
    assertEquals(onDisk, e.rolledBackTo().orElseThrow());
    int x = onDisk.nextIteration();
    assertTrue(e.getMessage().contains("rolled back to iteration " + x + " of checkpoint "
        + policy.file()) && e.getMessage().contains("lower lr_img"), e.getMessage());
    assertEquals(0, onDisk.consecutiveFailures());
    assertEquals(5, x, "measured with seed 0");
    // the file holds the state right after the applied iteration x - 1
    IterationResult lastGood = rec.iterations.stream().filter(r -> r.iteration() == x - 1)
        .findFirst().orElseThrow();
    assertEquals(lastGood.synLr(), onDisk.set().synLr(), 0.0);
    assertEquals(x, onDisk.imageOptimizer().steps() + rec.skipped.stream()
        .filter(s -> s.iteration() < x).count());
    assertFalse(rec.skipped.isEmpty());
  }
}
