package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.dd4j.augment.DsaConfig;
import org.dd4j.data.Dataset;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.Model;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.synthetic.SyntheticSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DATM's learnable soft labels through the unroll: the label-logit gradient of the full
 * unroll against the adjoint's, the float64 adjoint against central differences, and whole
 * distiller runs (initialisation from the experts, both modes, checkpoint and resume).
 */
class SoftLabelsTest {

  static final SessionOptions OPTIONS = SessionOptions.threads(2);

  @TempDir
  static Path dir;
  static Dataset data;
  static BufferDirectory buffer;

  @BeforeAll
  static void trainBuffer() {
    data = DistillerTest.toyData();
    buffer = DistillerTest.toyBuffer(data, dir.resolve("buf"));
  }

  static float[] labelLogits(int n, int classes, long seed) {
    Random r = new Random(seed);
    float[] y = new float[n * classes];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) (2 * r.nextGaussian());
    }
    return y;
  }

  /** Full unroll vs adjoint with soft labels, DSA, inner momentum and temperature 2. */
  @Test
  void fullAndAdjointAgreeOnTheLabelGradient() {
    DistillConfig config = AdjointUnrollTest.small().synSteps(4)
        .dsaStrategy(DsaConfig.DEFAULT_STRATEGY).innerMomentum(0.9)
        .set(DistillConfig.LABEL_INIT, SoftLabelInit.FIRST_EXPERT)
        .set(DistillConfig.LABEL_TEMPERATURE, 2.0).build();
    Model model = AdjointUnrollTest.convNet(2, 4);
    AdjointUnrollTest.Inputs in = AdjointUnrollTest.inputs(model, config, 17);
    float[] y = labelLogits(8, 4, 3);
    MatchingGraph.Gradients full;
    MatchingGraph.Gradients adjoint;
    try (MatchingGraph f = new MatchingGraph(model, config, OPTIONS);
        AdjointUnroll a = AdjointUnroll.float32(model, config, OPTIONS)) {
      MatchingGraph.Draws draws = f.draw(new SplittableRandom(5));
      full = f.run(in.images(), y, 0.1, in.segment(), 1, draws);
      adjoint = a.run(in.images(), y, 0.1, in.segment(), 1, draws);
      // a graph built for soft labels refuses to run without them
      assertThrows(IllegalArgumentException.class,
          () -> f.run(in.images(), 0.1, in.segment(), 1, draws));
    }
    assertEquals(32, full.labelGrad().length);
    assertEquals(full.loss(), adjoint.loss(), 1e-4 * Math.abs(full.loss()));
    assertEquals(full.lrGrad(), adjoint.lrGrad(), 1e-4 * Math.abs(full.lrGrad()));
    closeArrays("dL/dimages", full.imageGrad(), adjoint.imageGrad());
    closeArrays("dL/dlabel logits", full.labelGrad(), adjoint.labelGrad());
  }

  /** Central differences of the float64 adjoint's loss w.r.t. label logits. */
  @Test
  void labelGradientMatchesFiniteDifferences() {
    DistillConfig config = AdjointUnrollTest.small().synSteps(4)
        .dsaStrategy(DsaConfig.DEFAULT_STRATEGY).innerMomentum(0.5)
        .matchingLoss(IntermediateMatching.linear())
        .set(DistillConfig.LABEL_INIT, SoftLabelInit.CORRECT_EXPERTS)
        .set(DistillConfig.LABEL_TEMPERATURE, 1.5).build();
    Model model = AdjointUnrollTest.convNet(2, 4);
    AdjointUnrollTest.Inputs in = AdjointUnrollTest.inputs(model, config, 11);
    double[] x = widen(in.images());
    double[] seg = widen(in.segment());
    double[] y = widen(labelLogits(8, 4, 9));
    try (AdjointUnroll adj = AdjointUnroll.float64(model, config, OPTIONS)) {
      MatchingGraph.Draws draws = adj.draw(new SplittableRandom(5));
      AdjointUnroll.Sweep s = adj.sweep(x, y, 0.1, seg, 1, draws);
      double worst = 0;
      int checked = 0;
      for (int c = 0; c < y.length; c += 3) {
        double h = 1e-5;
        double orig = y[c];
        y[c] = orig + h;
        double plus = adj.sweep(x, y, 0.1, seg, 1, draws).loss();
        y[c] = orig - h;
        double minus = adj.sweep(x, y, 0.1, seg, 1, draws).loss();
        y[c] = orig;
        double numeric = (plus - minus) / (2 * h);
        double analytic = s.labelGrad()[c];
        assertEquals(numeric, analytic, 1e-6 * Math.abs(numeric) + 1e-10, "label logit " + c);
        if (Math.abs(numeric) > 1e-8) {
          worst = Math.max(worst, Math.abs(analytic - numeric) / Math.abs(numeric));
          checked++;
        }
      }
      assertTrue(checked >= 5, "too few label logits with a gradient: " + checked);
      System.out.printf("soft labels, float64 adjoint vs central differences: %d logits, max"
          + " rel %.2e%n", checked, worst);
    }
  }

  /**
   * The distiller with label_init first-expert: labels start at expert 0's logits, change,
   * and a run in steps with a checkpoint (saved and loaded) ends exactly where one run does;
   * the adjoint mode follows the full one.
   */
  @Test
  void distillerLearnsLabelsAndResumesExactly() {
    DistillConfig config = DistillerTest.toy().iterations(3)
        .set(DistillConfig.LABEL_INIT, SoftLabelInit.FIRST_EXPERT)
        .set(DistillConfig.LR_Y, 5.0).unroll("full").build();
    Model model = new ConvNet(DistillerTest.SPEC);
    DistillState end;
    float[] init;
    try (Distiller d = new Distiller(model, config, OPTIONS)) {
      SyntheticSet set = d.initialSet(data, buffer);
      init = set.labelLogits();
      float[][] expert0 = SoftLabelInit.logits(model, buffer, 0, set.toImageSet(), OPTIONS);
      for (int i = 0; i < set.count(); i++) {
        for (int c = 0; c < 4; c++) {
          assertEquals(expert0[i][c], init[i * 4 + c], 0f);
        }
      }
      DistillerTest.Recorder rec = new DistillerTest.Recorder();
      end = d.run(buffer, d.start(set), List.of(rec));
      assertEquals(3, rec.iterations.size(), "skipped " + rec.skipped);
      assertFalse(java.util.Arrays.equals(init, end.set().labelLogits()), "labels unchanged");
      assertEquals(3, end.labelOptimizer().orElseThrow().steps());

      Path ckpt = dir.resolve("soft-ckpt.bin");
      DistillState s = d.runUntil(buffer, d.start(set), 2, List.of(),
          new CheckpointPolicy(ckpt, 1));
      DistillState loaded = Checkpoint.load(ckpt, config);
      assertEquals(s, loaded);
      DistillState resumed = d.runUntil(buffer, loaded, 3, List.of(),
          new CheckpointPolicy(ckpt, 1));
      assertEquals(end, resumed);
    }
    try (Distiller d = new Distiller(model, config.toBuilder().unroll("adjoint").build(),
        OPTIONS)) {
      DistillState a = d.run(buffer, d.start(d.initialSet(data, buffer)), List.of());
      closeArrays("labels after 3 iterations, adjoint vs full", end.set().labelLogits(),
          a.set().labelLogits());
    }
    // a hard-label configuration refuses the soft-label checkpoint's set
    try (Distiller d = new Distiller(model, DistillerTest.toy().build(), OPTIONS)) {
      assertThrows(IllegalArgumentException.class, () -> d.start(end.set()));
    }
  }

  @Test
  void correctExpertsInitialisationAveragesOnlyCorrectExperts() {
    DistillConfig config = DistillerTest.toy()
        .set(DistillConfig.LABEL_INIT, SoftLabelInit.CORRECT_EXPERTS).build();
    Model model = new ConvNet(DistillerTest.SPEC);
    try (Distiller d = new Distiller(model, config, OPTIONS)) {
      SyntheticSet hard = d.initialSet(data);
      float[][] e0 = SoftLabelInit.logits(model, buffer, 0, hard.toImageSet(), OPTIONS);
      float[][] e1 = SoftLabelInit.logits(model, buffer, 1, hard.toImageSet(), OPTIONS);
      float[] expected;
      try {
        expected = SoftLabelInit.meanOverCorrect(List.of(e0, e1), hard.labels(), 4);
      } catch (IllegalArgumentException e) {
        assertThrows(IllegalArgumentException.class, () -> d.initialSet(data, buffer));
        return;
      }
      assertArrayEquals(expected, d.initialSet(data, buffer).labelLogits(), 0f);
    }
  }

  @Test
  void meanOverCorrectOnKnownNumbers() {
    float[][] a = {{3, 1, 0}, {0, 1, 2}};
    float[][] b = {{1, 2, 0}, {0, 0, 5}};
    float[][] c = {{5, 1, 1}, {4, 1, 1}};
    // image 0 (class 0): a and c correct -> (4, 1, 0.5); image 1 (class 2): a, b -> (0, .5, 3.5)
    assertArrayEquals(new float[] {4, 1, 0.5f, 0, 0.5f, 3.5f},
        SoftLabelInit.meanOverCorrect(List.of(a, b, c), new int[] {0, 2}, 3), 0f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SoftLabelInit.meanOverCorrect(List.of(a, b, c), new int[] {0, 1}, 3));
    assertTrue(e.getMessage().contains("synthetic image 1 (class 1)"), e.getMessage());
    // ties go to the first maximum, as torch.argmax
    assertEquals(0, SoftLabelInit.argmax(new float[] {2, 2, 1}));
  }

  static void closeArrays(String what, float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    assertTrue(scale > 0, what + " is all zero");
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Math.abs(actual[i] - expected[i]) <= 1e-4 * Math.abs(expected[i])
          + 1e-5 * scale, String.format("%s[%d]: %.8g vs %.8g", what, i, actual[i],
          expected[i]));
    }
  }

  private static double[] widen(float[] f) {
    double[] out = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = f[i];
    }
    return out;
  }
}
