package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.dd4j.augment.DsaConfig;
import org.dd4j.data.Dataset;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.Model;
import org.dd4j.models.Params;
import org.dd4j.storage.BufferDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * The regularizers of the distillation objective L = matching + sum_k lambda_k R_k: central
 * differences in float64 of the whole objective w.r.t. a pixel, a label logit and syn_lr with
 * each built-in on (and a term reading the student path), full unroll against adjoint, weight
 * schedules, parsing and its errors, and whole distiller runs (metrics, resume).
 */
class RegularizersTest {

  static final SessionOptions OPTIONS = SessionOptions.threads(2);

  /** A range the random test images (N(0, 1)) leave on both sides. */
  static final PixelRange RANGE = new PixelRange(new float[] {-0.8f}, new float[] {0.6f});

  @TempDir
  static Path dir;
  static Dataset data;
  static BufferDirectory buffer;

  @BeforeAll
  static void trainBuffer() {
    data = DistillerTest.toyData();
    buffer = DistillerTest.toyBuffer(data, dir.resolve("buf"));
  }

  /**
   * A term reading the student path: ||w_N - w_0||^2 (how far the student moved), so its
   * dL/dw_k must reach the images and syn_lr through the unroll or the adjoint sweep.
   */
  static final class StudentTravel implements Regularizer {
    @Override
    public <T extends TFloating> Operand<T> apply(Ops tf, RegularizerInputs<T> in) {
      Params<T> wN = in.path().studentFinal();
      Params<T> w0 = in.path().expertStart();
      Operand<T> d = tf.math.sub(wN.flatten(tf), w0.flatten(tf));
      return tf.reduceSum(tf.math.square(d), tf.constant(0));
    }

    @Override
    public String name() {
      return "student-travel";
    }
  }

  static {
    Regularizers.replace("student-travel", a -> new StudentTravel()); // as a user registers one
  }

  static Stream<String> eachTerm() {
    return Stream.of("total-variation(weight=0.05)", "total-variation(norm=l1, weight=0.5)",
        "image-l2(weight=0.05)", "pixel-range(weight=2)",
        "label-entropy(goal=smooth, weight=0.5)", "label-entropy(weight=0.5)",
        "student-travel(weight=3)");
  }

  /** Soft labels, DSA, inner momentum: every input of the objective is learned. */
  static DistillConfig.Builder base() {
    return AdjointUnrollTest.small().synSteps(3).dsaStrategy(DsaConfig.DEFAULT_STRATEGY)
        .innerMomentum(0.5).set(DistillConfig.LABEL_INIT, SoftLabelInit.FIRST_EXPERT)
        .set(DistillConfig.LABEL_TEMPERATURE, 1.5);
  }

  /**
   * Central differences (float64) of the whole objective w.r.t. pixels, label logits and
   * syn_lr against the adjoint sweep's gradients, with one term on; the term must change
   * the checked gradients (so the check is not the matching loss's alone).
   */
  @ParameterizedTest
  @MethodSource("eachTerm")
  void wholeObjectiveMatchesCentralDifferences(String term) {
    DistillConfig config = base().parse("regularizers", term).build();
    DistillConfig plain = base().build();
    Model model = AdjointUnrollTest.convNet(2, 4);
    AdjointUnrollTest.Inputs in = AdjointUnrollTest.inputs(model, config, 11);
    double[] x = widen(in.images());
    double[] seg = widen(in.segment());
    double[] y = widen(SoftLabelsTest.labelLogits(8, 4, 9));
    double lr = 0.1;
    double[] lambda = config.regularizers().weightsAt(0);
    try (AdjointUnroll adj = AdjointUnroll.float64(model, config, OPTIONS, RANGE);
        AdjointUnroll without = AdjointUnroll.float64(model, plain, OPTIONS, RANGE)) {
      MatchingGraph.Draws draws = adj.draw(new SplittableRandom(5));
      AdjointUnroll.Sweep s = adj.sweep(x, y, lr, seg, 1, draws, lambda);
      AdjointUnroll.Sweep m = without.sweep(x, y, lr, seg, 1, draws);
      assertEquals(m.loss(), s.matchingLoss(), 1e-12 * Math.abs(m.loss()));
      assertEquals(s.matchingLoss() + lambda[0] * s.terms()[0], s.loss(),
          1e-12 * Math.abs(s.loss()));
      double changed = 0;
      double h = 1e-5;
      int[] pixels = {0, 37, 101, 200, 255, 300, 511};
      for (int c : pixels) {
        double orig = x[c];
        x[c] = orig + h;
        double plus = adj.sweep(x, y, lr, seg, 1, draws, lambda).loss();
        x[c] = orig - h;
        double minus = adj.sweep(x, y, lr, seg, 1, draws, lambda).loss();
        x[c] = orig;
        double numeric = (plus - minus) / (2 * h);
        assertEquals(numeric, s.imageGrad()[c], 1e-6 * Math.abs(numeric) + 1e-9,
            term + ": pixel " + c);
        changed = Math.max(changed, Math.abs(s.imageGrad()[c] - m.imageGrad()[c]));
      }
      for (int c : new int[] {0, 5, 14, 31}) {
        double orig = y[c];
        y[c] = orig + h;
        double plus = adj.sweep(x, y, lr, seg, 1, draws, lambda).loss();
        y[c] = orig - h;
        double minus = adj.sweep(x, y, lr, seg, 1, draws, lambda).loss();
        y[c] = orig;
        double numeric = (plus - minus) / (2 * h);
        assertEquals(numeric, s.labelGrad()[c], 1e-6 * Math.abs(numeric) + 1e-9,
            term + ": label logit " + c);
        changed = Math.max(changed, Math.abs(s.labelGrad()[c] - m.labelGrad()[c]));
      }
      double hl = 1e-7;
      double plus = adj.sweep(x, y, lr + hl, seg, 1, draws, lambda).loss();
      double minus = adj.sweep(x, y, lr - hl, seg, 1, draws, lambda).loss();
      double numeric = (plus - minus) / (2 * hl);
      assertEquals(numeric, s.lrGrad(), 1e-6 * Math.abs(numeric) + 1e-9, term + ": syn_lr");
      changed = Math.max(changed, Math.abs(s.lrGrad() - m.lrGrad()));
      assertTrue(changed > 1e-6, term + " did not change any checked gradient");
    }
  }

  /** Full unroll and adjoint agree (float32) with every term on at once. */
  @Test
  void fullAndAdjointAgreeWithEveryTerm() {
    DistillConfig config = base().parse("regularizers", eachTerm().reduce((a, b) -> a + " + "
        + b).orElseThrow()).build();
    assertEquals(7, config.regularizers().size());
    Model model = AdjointUnrollTest.convNet(2, 4);
    AdjointUnrollTest.Inputs in = AdjointUnrollTest.inputs(model, config, 17);
    float[] y = SoftLabelsTest.labelLogits(8, 4, 3);
    double[] lambda = config.regularizers().weightsAt(0);
    MatchingGraph.Gradients full;
    MatchingGraph.Gradients adjoint;
    try (MatchingGraph f = new MatchingGraph(model, config, OPTIONS, RANGE);
        AdjointUnroll a = AdjointUnroll.float32(model, config, OPTIONS, RANGE)) {
      MatchingGraph.Draws draws = f.draw(new SplittableRandom(5));
      full = f.run(in.images(), y, 0.1, in.segment(), 1, draws, lambda);
      adjoint = a.run(in.images(), y, 0.1, in.segment(), 1, draws, lambda);
      assertThrows(IllegalArgumentException.class,
          () -> f.run(in.images(), y, 0.1, in.segment(), 1, draws));
    }
    assertEquals(7, full.terms().length);
    for (int k = 0; k < 7; k++) {
      assertEquals(full.terms()[k], adjoint.terms()[k], 1e-5 * Math.abs(full.terms()[k]),
          "term " + k);
      assertTrue(full.terms()[k] > 0, "term " + k + " is " + full.terms()[k]);
    }
    assertEquals(full.matchingLoss(), adjoint.matchingLoss(), 1e-5 * full.matchingLoss());
    assertEquals(full.loss(), adjoint.loss(), 1e-4 * Math.abs(full.loss()));
    assertEquals(full.lrGrad(), adjoint.lrGrad(), 1e-4 * Math.abs(full.lrGrad()));
    SoftLabelsTest.closeArrays("dL/dimages", full.imageGrad(), adjoint.imageGrad());
    SoftLabelsTest.closeArrays("dL/dlabel logits", full.labelGrad(), adjoint.labelGrad());
  }

  @Test
  void scheduledWeightAtTheStartAStepAndTheEnd() {
    RegularizerList list = Regularizers.parse(
        "total-variation(weight=cosine(base=0.01, steps=100, final=0.1))");
    WeightedRegularizer tv = list.terms().get(0);
    assertEquals(0.01, tv.weightAt(0), 1e-15);
    assertEquals(0.01 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.3))), tv.weightAt(30),
        1e-15);
    assertEquals(0.001, tv.weightAt(100), 1e-15);
    assertEquals(0.001, tv.weightAt(500), 1e-15);
    WeightedRegularizer ramp = Regularizers.create("image-l2(weight=linear(from=0, to=1,"
        + " steps=10))");
    assertEquals(0, ramp.weightAt(0));
    assertEquals(0.4, ramp.weightAt(4), 1e-15);
    assertEquals(1, ramp.weightAt(10));
  }

  @Test
  void descriptionsReadBack() {
    String text = "total-variation(norm=l1, weight=0.001) + image-l2(weight=cosine(base=1e-4,"
        + " steps=50, final=0)) + pixel-range(weight=1)";
    RegularizerList list = Regularizers.parse(text);
    assertEquals("total-variation(norm=l1, weight=0.001) + image-l2(weight=cosine("
        + "base=1.0E-4, steps=50, final=0)) + pixel-range(weight=1)", list.describe());
    assertEquals(list.describe(), Regularizers.parse(list.describe()).describe());
    assertEquals(list, Regularizers.parse(list.describe()));
    assertEquals(RegularizerList.NONE, Regularizers.parse("none"));
    assertEquals("none", RegularizerList.NONE.describe());
    // the setting: config.json holds the description
    DistillConfig c = DistillConfig.builder().parse("regularizer", text).build();
    assertEquals(list.describe(), c.toMap().get("regularizers"));
    assertEquals("none", DistillConfig.builder().build().toMap().get("regularizers"));
    // a repeated name gets its own label
    assertEquals(List.of("image-l2", "image-l2#2"),
        Regularizers.parse("image-l2 + image-l2(weight=2)").labels());
  }

  @Test
  void badInputsGiveOneLineErrors() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> DistillConfig.builder().parse("regularizers", "smoothness(weight=1)"));
    assertTrue(unknown.getMessage().startsWith("regularizers: unknown regularizer"
        + " 'smoothness'; known: ["), unknown.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> DistillConfig.builder().parse("regularizers", "total-variation(weight=-1)"));
    assertTrue(negative.getMessage().contains("weight must be finite and >= 0, got -1.0"),
        negative.getMessage());
    IllegalArgumentException arg = assertThrows(IllegalArgumentException.class,
        () -> Regularizers.parse("total-variation(norm=l3)"));
    assertTrue(arg.getMessage().contains("l2 or l1"), arg.getMessage());
    IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
        () -> Regularizers.parse("image-l2(scale=2)"));
    assertTrue(extra.getMessage().contains("scale"), extra.getMessage());
    IllegalArgumentException sched = assertThrows(IllegalArgumentException.class,
        () -> Regularizers.parse("image-l2(weight=exp(1))"));
    assertTrue(sched.getMessage().contains("unknown schedule 'exp'"), sched.getMessage());
    for (IllegalArgumentException e : List.of(unknown, negative, arg, extra, sched)) {
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    // a term needing label logits with hard labels, a range penalty without a range
    DistillConfig hard = AdjointUnrollTest.small().parse("regularizers", "label-entropy")
        .build();
    IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
        () -> new MatchingGraph(AdjointUnrollTest.convNet(1, 4), hard, OPTIONS));
    assertTrue(labels.getMessage().contains("hard labels"), labels.getMessage());
    DistillConfig range = AdjointUnrollTest.small().parse("regularizers", "pixel-range")
        .build();
    assertThrows(IllegalArgumentException.class,
        () -> AdjointUnroll.float32(AdjointUnrollTest.convNet(1, 4), range, OPTIONS));
  }

  @Test
  void aLambdaReturningANonScalarOrNanIsAnErrorNamingWhereItWasWritten() {
    Regularizer vector = Regularizer.float32("per-image", "my.exp.kts:7",
        (tf, s) -> tf.math.mean(s.images(), tf.constant(new int[] {1, 2, 3})));
    DistillConfig c1 = AdjointUnrollTest.small().regularizers(new WeightedRegularizer(vector,
        1)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MatchingGraph(AdjointUnrollTest.convNet(1, 4), c1, OPTIONS));
    assertEquals("my.exp.kts:7: regularizer 'per-image' must return a scalar, got shape [8]"
        + " (reduce it, e.g. with tf.reduceSum)", e.getMessage());

    Regularizer nan = Regularizer.float32("log-negative", "my.exp.kts:9",
        (tf, s) -> tf.math.log(tf.constant(-1f)));
    DistillConfig c2 = DistillerTest.toy().iterations(2).regularizers(new RegularizerList(
        List.of(new WeightedRegularizer(nan, 1)))).build();
    Model model = new ConvNet(DistillerTest.SPEC);
    try (Distiller d = new Distiller(model, c2, OPTIONS)) {
      IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
          () -> d.run(buffer, d.start(d.initialSet(data)), List.of()));
      assertTrue(n.getMessage().startsWith("my.exp.kts:9: regularizer 'log-negative' returned"
          + " NaN at iteration 0"), n.getMessage());
    }
  }

  /**
   * A whole run with a scheduled TV prior and a range penalty: metrics.jsonl has each term,
   * the weights follow the schedule, the images differ from the run without, and a run
   * resumed from a checkpoint ends exactly where one run does, in both unroll modes.
   */
  @Test
  void distillerRunsWritesTermsAndResumesExactly() throws Exception {
    String terms = "total-variation(weight=cosine(base=0.05, steps=3, final=0)) + "
        + "pixel-range(weight=1)";
    Model model = new ConvNet(DistillerTest.SPEC);
    PixelRange range = PixelRange.of(data.train());
    for (String unroll : List.of("full", "adjoint")) {
      DistillConfig config = DistillerTest.toy().iterations(4).unroll(unroll)
          .parse("regularizers", terms).build();
      Path metrics = dir.resolve("metrics-" + unroll + ".jsonl");
      DistillerTest.Recorder rec = new DistillerTest.Recorder();
      DistillState end;
      try (Distiller d = new Distiller(model, config, OPTIONS, range)) {
        DistillState start = d.start(d.initialSet(data));
        end = d.run(buffer, start, List.of(rec, new DistillMetricsFile(metrics)));
        assertEquals(4, rec.iterations.size(), "skipped " + rec.skipped);
        Path ckpt = dir.resolve("ckpt-" + unroll + ".bin");
        DistillState half = d.runUntil(buffer, start, 2, List.of(),
            new CheckpointPolicy(ckpt, 1));
        DistillState loaded = Checkpoint.load(ckpt, config);
        assertEquals(half, loaded);
        assertEquals(end, d.runUntil(buffer, loaded, 4, List.of(),
            new CheckpointPolicy(ckpt, 1)));
        // a checkpoint of this run does not resume a run with other regularizers
        DistillConfig other = config.toBuilder().parse("regularizers", "none").build();
        assertThrows(CheckpointException.class, () -> Checkpoint.load(ckpt, other));
      }
      for (IterationResult r : rec.iterations) {
        double w = 0.05 * 0.5 * (1 + Math.cos(Math.PI * Math.min(r.iteration(), 3) / 3.0));
        assertEquals(w, r.terms().get(0).weight(), 1e-12);
        assertEquals(1, r.terms().get(1).weight());
        assertEquals(r.loss() + w * r.terms().get(0).value() + r.terms().get(1).value(),
            r.objective(), 1e-5 * r.objective());
      }
      assertEquals(0, rec.iterations.get(3).terms().get(0).weight(), 1e-15);
      List<String> lines = Files.readAllLines(metrics);
      assertEquals(4, lines.size());
      JsonNode first = new ObjectMapper().readTree(lines.get(0));
      assertEquals(0.05, first.path("regularizers").path("total-variation").path("weight")
          .asDouble(), 1e-12);
      assertTrue(first.path("regularizers").path("pixel-range").has("value"));
      assertTrue(first.has("objective"));
      // the prior changed the images against the same run without it
      DistillConfig plain = DistillerTest.toy().iterations(4).unroll(unroll).build();
      try (Distiller d = new Distiller(model, plain, OPTIONS)) {
        DistillState p = d.run(buffer, d.start(d.initialSet(data)), List.of());
        assertFalse(java.util.Arrays.equals(p.set().images(), end.set().images()));
      }
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
