package org.dd4j.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dd4j.augment.Augmentation;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.TrajectoryReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MTT / FTD / AST presets hold the spec's settings, train (GSAM with the second-order
 * gradient penalty included), and describe themselves in the trajectory metadata.
 */
class ExpertPresetsTest {

  @Test
  void presetsHoldTheSpecSettings() {
    Map<String, Object> mtt = ExpertTraining.mtt(50).describe();
    assertEquals("sgd", mtt.get("name"));
    assertEquals(0.01, mtt.get("lr_teacher"));
    assertEquals(0.0, mtt.get("momentum"));
    assertEquals(List.of(Map.of("name", "cross_entropy")), mtt.get("objective"));

    Map<String, Object> ftd = ExpertTraining.ftd(50).describe();
    assertEquals("gsam", ftd.get("name"));
    assertEquals(0.01, ftd.get("rho"));
    assertEquals(0.3, ftd.get("alpha"));

    ExpertTraining ast = ExpertTraining.ast(50);
    Sgd sgd = ast.optimizer().sgd();
    assertEquals(0.9, sgd.momentum());
    assertEquals(0.01, ast.lrSchedule().at(24), 1e-15);
    assertEquals(0.005, ast.lrSchedule().at(25), 1e-15);
    List<?> terms = (List<?>) ast.describe().get("objective");
    assertEquals(2, terms.size());
    assertEquals(Map.of("name", "gradient_penalty", "mu", 1.0, "k", 1.0, "norm",
        "per_sample", "input", "unaugmented"), terms.get(1));

    ExpertTraining code = ExpertTraining.astCode(50);
    assertEquals(0.003, code.lrSchedule().at(25), 1e-15);
    assertEquals(0.003 * 0.6, code.lrSchedule().at(26), 1e-15);
    assertEquals(0.001, code.optimizer().sgd().weightDecay());
    assertTrue(code.objective().needsSecondOrder());
    assertTrue(!ExpertTraining.mtt(1).objective().needsSecondOrder());
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> ExpertOptimizer.gsam(
        ExpertOptimizer.sgd(0.01), 0, 0.3));
    assertThrows(IllegalArgumentException.class, () -> ExpertOptimizer.gsam(
        ExpertOptimizer.sgd(0.01), 0.01, -1));
    assertThrows(IllegalArgumentException.class, () -> ExpertOptimizer.sgd(0.01)
        .withMomentum(1));
    assertThrows(IllegalArgumentException.class, () -> ExpertOptimizer.sgd(0.01)
        .withLrDecay(0.5, 3, 2));
  }

  /** AST's loss with GSAM: both passes differentiate the gradient penalty. */
  @Test
  void gsamWithGradientPenaltyTrainsAndIsDescribed(@TempDir Path dir) {
    ModelSpec spec = ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4);
    ExpertTraining training = ExpertTraining.ast(2).withBatchSize(64)
        .withOptimizer(ExpertOptimizer.gsam(ExpertOptimizer.sgd(0.05).withMomentum(0.9)));
    var config = new BufferConfig(spec, "bands", Map.of("kind", "none"), training, 1, 3);
    List<EpochResult> epochs = new ArrayList<>();
    BufferDirectory buffer = new BufferPhase(config, Augmentation.none(),
        SessionOptions.threads(2)).run(BufferPhaseTest.data(), dir, List.of(
            new BufferListener() {
              @Override
              public void onEpoch(EpochResult r) {
                epochs.add(r);
              }
            }));
    assertEquals(2, epochs.size());
    for (EpochResult r : epochs) {
      assertTrue(Double.isFinite(r.trainLoss()) && r.trainLoss() > 0, "loss " + r.trainLoss());
    }
    assertTrue(epochs.get(1).testAccuracy() > 0.5, "accuracy " + epochs.get(1).testAccuracy());
    try (TrajectoryReader r = buffer.openExpert(0)) {
      var meta = r.metadata();
      assertEquals("gsam", meta.optimizer().get("name"));
      assertEquals(0.9, meta.optimizer().get("momentum"));
      assertEquals(List.of("cross_entropy", "gradient_penalty"),
          meta.regularizers().stream().map(m -> m.get("name")).toList());
    }
  }
}
