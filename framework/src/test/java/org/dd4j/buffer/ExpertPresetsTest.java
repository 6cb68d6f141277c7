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
import org.dd4j.train.Optimizer;
import org.dd4j.train.Sgd;
import org.dd4j.train.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MTT / FTD / AST presets hold the spec's settings, train (GSAM with the second-order
 * gradient penalty included), and describe themselves in the trajectory metadata.
 */
class ExpertPresetsTest {

  @Test
  void presetsHoldTheSpecSettings() {
    Map<String, Object> mtt = ExpertRecipe.preset("mtt", 50).describe();
    assertEquals("sgd", mtt.get("name"));
    assertEquals(0.01, mtt.get("lr_teacher"));
    assertEquals(0.0, mtt.get("momentum"));
    assertEquals(List.of(Map.of("name", "cross_entropy")), mtt.get("objective"));

    Map<String, Object> ftd = ExpertRecipe.preset("ftd", 50).describe();
    assertEquals("gsam", ftd.get("name"));
    assertEquals(0.01, ftd.get("rho")); // run_buffer.sh --rho_max=0.01 --rho_min=0.01
    assertEquals(0.4, ftd.get("alpha")); // buffer_FTD.py's --alpha default
    assertEquals(0.3, ExpertRecipe.preset("ftd-paper", 50).describe().get("alpha"));

    // AST's buffer.py as buffer.sh runs it: no --gp, no --loss_decay
    Training ast = ExpertRecipe.preset("ast", 50);
    Sgd code = ast.optimizer().sgd();
    assertEquals(0.9, code.momentum());
    assertEquals(0.001, code.weightDecay());
    assertEquals(List.of(Map.of("name", "cross_entropy")), ast.describe().get("objective"));
    assertTrue(!ast.objective().needsSecondOrder());
    // "if e in [50 // 2 + 1]: lr *= 0.6; teacher_optim = SGD(...)" after epoch 26 is trained
    assertEquals(0.003, ast.lrSchedule().at(26), 1e-15);
    assertEquals(0.003 * 0.6, ast.lrSchedule().at(27), 1e-15);
    assertEquals(0.003 * 0.6, ast.lrSchedule().at(49), 1e-15);
    for (long e = 0; e < 50; e++) {
      assertEquals(e == 27, code.restartsMomentumAt(e), "epoch " + e);
    }
    assertEquals(ExpertRecipe.named("ast"), ExpertRecipe.named("ast-code"));

    Training paper = ExpertRecipe.preset("ast-paper", 50);
    assertEquals(0.9, paper.optimizer().sgd().momentum());
    assertEquals(0.01, paper.lrSchedule().at(24), 1e-15);
    assertEquals(0.005, paper.lrSchedule().at(25), 1e-15);
    assertTrue(!paper.optimizer().sgd().restartsMomentumAt(25));
    List<?> terms = (List<?>) paper.describe().get("objective");
    assertEquals(2, terms.size());
    assertEquals(Map.of("name", "gradient_penalty", "mu", 1.0, "k", 1.0, "norm",
        "per_sample", "input", "unaugmented"), terms.get(1));
    assertTrue(paper.objective().needsSecondOrder());
    // the code's optional terms (--gp True --loss_decay)
    Training gp = ExpertRecipe.named("ast(gp_mu=2, loss_ramp_epochs=10)")
        .training(50, 256, true);
    assertTrue(gp.objective().needsSecondOrder());
    assertTrue(!ExpertRecipe.preset("mtt", 1).objective().needsSecondOrder());
  }

  /**
   * The ast preset's decay epoch follows the number of epochs as AST's buffer.py does: its
   * loop, replayed here, trains epoch e at the current lr and then "if e in
   * [train_epochs // 2 + 1]: lr *= 0.6" with a new optimizer. An explicit lr_decay_epochs
   * still wins.
   */
  @Test
  void astDecayEpochFollowsTheNumberOfEpochs() {
    for (int epochs : new int[] {10, 50}) {
      Training ast = ExpertRecipe.named("ast").training(epochs, 256, true);
      double lr = 0.003;
      for (int e = 0; e < epochs; e++) { // buffer.py's loop
        assertEquals(lr, ast.lrSchedule().at(e), 1e-15, "epoch " + e + " of " + epochs);
        boolean decays = e == epochs / 2 + 1;
        assertEquals(decays, ast.optimizer().sgd().restartsMomentumAt(e + 1),
            "new optimizer after epoch " + e + " of " + epochs);
        if (decays) {
          lr *= 0.6;
        }
      }
    }
    assertEquals(0.003 * 0.6, ExpertRecipe.named("ast").training(10, 256, true).lrSchedule()
        .at(7), 1e-15);
    assertTrue(ExpertRecipe.named("ast").describe().contains("lr_decay_epochs=T//2+2"));
    Training given = ExpertRecipe.named("ast(lr_decay_epochs=5)").training(10, 256, true);
    assertEquals(0.003, given.lrSchedule().at(4), 1e-15);
    assertEquals(0.003 * 0.6, given.lrSchedule().at(5), 1e-15);
    assertEquals(0.003 * 0.6, given.lrSchedule().at(7), 1e-15);
    assertEquals(ExpertRecipe.named("ast(lr_decay_epochs=T//2+2)"), ExpertRecipe.named("ast"));
  }

  /** Recipes print the string that re-creates them, the momentum rule included. */
  @Test
  void recipesRoundTripThroughTheirDescription() {
    for (String name : List.of("mtt", "ftd", "ftd-paper", "ast", "ast-paper")) {
      ExpertRecipe r = ExpertRecipe.named(name);
      assertEquals(r, ExpertRecipe.named(r.describe()), name);
    }
    ExpertRecipe keep = ExpertRecipe.named("ast(on_lr_decay=keep)");
    assertTrue(keep.describe().contains("on_lr_decay=keep"), keep.describe());
    assertTrue(!keep.training(50, 256, true).optimizer().sgd().restartsMomentumAt(27));
    assertThrows(IllegalArgumentException.class,
        () -> ExpertRecipe.named("ast(on_lr_decay=sometimes)"));
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> Optimizer.gsam(
        Optimizer.sgd(0.01), 0, 0.3));
    assertThrows(IllegalArgumentException.class, () -> Optimizer.gsam(
        Optimizer.sgd(0.01), 0.01, -1));
    assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.01)
        .withMomentum(1));
    assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.01)
        .withLrDecay(0.5, 3, 2));
  }

  /** AST's loss with GSAM: both passes differentiate the gradient penalty. */
  @Test
  void gsamWithGradientPenaltyTrainsAndIsDescribed(@TempDir Path dir) {
    ModelSpec spec = ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4);
    Training training = ExpertRecipe.preset("ast-paper", 2).withBatchSize(64)
        .withOptimizer(Optimizer.gsam(Optimizer.sgd(0.05).withMomentum(0.9)));
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
