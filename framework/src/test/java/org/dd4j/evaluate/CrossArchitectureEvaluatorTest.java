package org.dd4j.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.evaluate.CrossArchitectureEvaluator.ArchitectureResult;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.junit.jupiter.api.Test;

class CrossArchitectureEvaluatorTest {

  private static Model model(String name, Integer width) {
    return ModelRegistry.create(ModelRegistry.spec(name, 1, width, new InputShape(8, 8, 1),
        4));
  }

  @Test
  void trainsEachArchitectureWithItsLearningRateInTableOrder() {
    ImageSet train = EvaluatorTest.bands(40, 1);
    ImageSet test = EvaluatorTest.bands(100, 2);
    Map<String, Model> models = new LinkedHashMap<>();
    models.put("convnet", model("convnet", 4));
    models.put("convnet-bn", model("convnet-bn", 4)); // running statistics at test time
    EvalConfig config = new EvalConfig(20, 256, 0.9, 5e-4, 2, "none", 5);
    List<String> started = new ArrayList<>();
    List<ArchitectureResult> rows = CrossArchitectureEvaluator.evaluate(models, train, 0.05,
        Map.of("convnet-bn", 0.02), test, config, SessionOptions.threads(2),
        (name, m, lr) -> started.add(name + "@" + lr));
    System.out.println("cross-architecture, toy bands: " + rows);
    assertEquals(List.of("convnet@0.05", "convnet-bn@0.02"), started);
    assertEquals("convnet", rows.get(0).architecture());
    assertEquals(0.02, rows.get(1).learningRate());
    for (ArchitectureResult r : rows) {
      assertEquals(2, r.result().accuracies().length);
      assertTrue(r.result().mean() > 0.5, r.toString()); // chance is 0.25
    }
    // the same protocol, seeds included, as evaluating the one architecture alone
    EvalResult alone = Evaluator.evaluate(models.get("convnet"), train, 0.05, test, config,
        SessionOptions.threads(2));
    assertArrayEquals(alone.accuracies(), rows.get(0).result().accuracies(), 1e-12);
  }

  /** A learning rate one architecture cannot take gives a diverged row, not a lost table. */
  @Test
  void aDivergingArchitectureGetsARowAndTheOthersStillRun() {
    ImageSet train = EvaluatorTest.bands(40, 1);
    Map<String, Model> models = new LinkedHashMap<>();
    models.put("convnet", model("convnet", 4));
    models.put("convnet-w8", model("convnet", 8));
    EvalConfig config = new EvalConfig(6, 256, 0.9, 5e-4, 1, "none", 5);
    List<ArchitectureResult> done = new ArrayList<>();
    List<ArchitectureResult> rows = CrossArchitectureEvaluator.evaluate(models, train, 0.05,
        Map.of("convnet", 1e12), EvaluatorTest.bands(20, 2), config,
        SessionOptions.threads(2), new CrossArchitectureEvaluator.Listener() {
          @Override
          public void onArchitectureStart(String name, Model m, double lr) {}

          @Override
          public void onArchitectureDone(ArchitectureResult r) {
            done.add(r);
          }
        });
    assertEquals(rows, done);
    assertTrue(rows.get(0).diverged(), rows.get(0).toString());
    assertTrue(rows.get(0).describe().startsWith("diverged at lr 1.000e+12: expert training diverged"),
        rows.get(0).describe());
    assertFalse(rows.get(1).diverged());
    assertEquals(1, rows.get(1).result().accuracies().length);
  }

  @Test
  void rejectsAnOverrideForAnArchitectureNotEvaluated() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CrossArchitectureEvaluator.evaluate(Map.of("convnet", model("convnet", 4)),
            EvaluatorTest.bands(8, 1), 0.01, Map.of("vgg11", 0.01), EvaluatorTest.bands(8, 2),
            EvalConfig.mtt(1), SessionOptions.threads(2), (n, m, lr) -> { }));
    assertTrue(e.getMessage().contains("vgg11"), e.getMessage());
  }
}
