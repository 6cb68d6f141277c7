package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;
import org.junit.jupiter.api.Test;

/** The "auto" unroll mode's memory estimate and choice. */
class UnrollModeTest {

  private static final ModelSpec W128 = ModelSpec.convNet(3, 128, new InputShape(28, 28, 1),
      10);

  /** Calibrated on dd4j bench distill: 13.0 GB measured at width 128, N 20, batch_syn 100. */
  @Test
  void estimateMatchesTheMeasuredPeakAtWidth128() {
    double n20 = UnrollMode.estimateFullBytes(W128, new StudentBatches(100, 100, 20));
    assertEquals(13.0e9, n20, 0.05 * 13.0e9);
    double n50 = UnrollMode.estimateFullBytes(W128, new StudentBatches(100, 100, 50));
    assertEquals(1.1e9 + 2.5 * (n20 - 1.1e9), n50, 1e3); // linear in the images per run
    assertTrue(Double.isNaN(UnrollMode.estimateFullBytes(
        org.dd4j.models.ModelRegistry.spec("resnet18", null, null, new InputShape(32, 32, 3),
            10),
        new StudentBatches(100, 100, 20))));
  }

  @Test
  void autoPicksAdjointOnlyWhenTheFullUnrollWouldNotFit() {
    DistillConfig.Builder b = DistillConfig.builder().ipc(10).batchSyn(100);
    UnrollMode.Choice small = UnrollMode.choose(b.synSteps(2).build(), W128,
        new StudentBatches(100, 100, 2));
    assertEquals("full", small.mode(), small.reason());
    UnrollMode.Choice huge = UnrollMode.choose(b.synSteps(5000).build(), W128,
        new StudentBatches(100, 100, 5000));
    assertEquals("adjoint", huge.mode(), huge.reason());
    assertTrue(huge.reason().startsWith("auto: full unroll estimated"), huge.reason());
    assertEquals("full", UnrollMode.choose(b.unroll("full").build(), W128,
        new StudentBatches(100, 100, 5000)).mode());
  }
}
