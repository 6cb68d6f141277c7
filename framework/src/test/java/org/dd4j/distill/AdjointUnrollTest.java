package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.dd4j.augment.DsaConfig;
import org.dd4j.data.Dataset;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.storage.BufferDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * {@code unroll = adjoint} against the full unroll: the same loss and gradients (images,
 * syn_lr) for every distillation piece, the same whole-distiller run, and central finite
 * differences of the adjoint gradient in float64.
 *
 * <p>Tolerance of the float32 comparisons: {@code |adjoint - full| <= RTOL * |full| + ATOL *
 * max|full|}, RTOL = 1e-4; the small absolute part (1e-5 of the largest entry) is for entries
 * near zero, whose relative error is the rounding of a sum of larger terms. The printed
 * "max rel" is the largest {@code |adjoint - full| / |full|} over entries above 1e-2 of the
 * largest one.
 */
class AdjointUnrollTest {

  static final double RTOL = 1e-4;
  static final double ATOL = 1e-5;
  static final InputShape SHAPE = new InputShape(8, 8, 1);
  static final SessionOptions OPTIONS = SessionOptions.threads(2);

  @TempDir
  static Path dir;
  static Dataset data;
  static BufferDirectory buffer;

  /** DistillerTest's toy buffer: ConvNet-1 of width 4, two experts of 4 epochs. */
  @BeforeAll
  static void trainBuffer() {
    data = DistillerTest.toyData();
    buffer = DistillerTest.toyBuffer(data, dir.resolve("buf"));
  }

  /** ipc 2 of 4 classes (n = 8), N = 3 steps of batch 4 (a permutation and a half), M = 2. */
  static DistillConfig.Builder small() {
    return DistillConfig.builder().ipc(2).synSteps(3).expertEpochs(2).maxStartEpoch(4)
        .batchSyn(4).lrTeacher(0.1).dsaStrategy(DistillConfig.NO_DSA).seed(3);
  }

  static Model convNet(int depth, int width) {
    return new ConvNet(ModelSpec.convNet(depth, width, SHAPE, 4));
  }

  @Test
  void plain() {
    compare("plain", convNet(2, 4), small(), 1);
  }

  /** batch_syn 3 of 8 images: steps of 2, 3, 3 (MTT's remainder chunk first), with DSA. */
  @Test
  void remainderChunksWithDsa() {
    compare("remainder", convNet(2, 4), small().batchSyn(3).synSteps(4)
        .dsaStrategy(DsaConfig.DEFAULT_STRATEGY), 1);
  }

  @Test
  void dsa() {
    compare("dsa", convNet(2, 4), small().dsaStrategy(DsaConfig.DEFAULT_STRATEGY), 1);
  }

  @Test
  void balancedInnerLoss() {
    double nu = BalancedInnerLoss.paper().factor(3, 10); // 1 / ln(10)
    compare("balanced", convNet(1, 8), small().innerLoss(BalancedInnerLoss.paper()), nu);
  }

  @Test
  void intermediateMatchingLinearWeights() {
    compare("intermediate", convNet(2, 4), small().synSteps(4)
        .matchingLoss(IntermediateMatching.linear()), 1);
  }

  @Test
  void innerMomentum() {
    compare("momentum", convNet(2, 4), small().synSteps(4).innerMomentum(0.9), 1);
  }

  @Test
  void filterWiseStartPerturbation() {
    compare("perturbation", convNet(2, 4), small()
        .startPerturbation(FilterWisePerturbation.paper()), 1);
  }

  /** A user's float32 lambda reading every step of the path: sum_k (k / N) L(w_k). */
  @Test
  void customFloat32MatchingLoss() {
    MatchingLoss everyStep = MatchingLoss.float32("every-step", (tf, m) -> {
      Operand<TFloat32> total = null;
      for (int k = 1; k <= m.synSteps(); k++) {
        Operand<TFloat32> lk = tf.math.mul(NormalizedParameterDistance.normalized(tf,
            m.student().get(k), m.expertStart(), m.expertTarget()),
            tf.constant((float) k / m.synSteps()));
        total = total == null ? lk : tf.math.add(total, lk);
      }
      return total;
    });
    compare("custom", convNet(1, 4), small().matchingLoss(everyStep), 1);
  }

  /** All of it at once: DSA, nu, intermediate matching, momentum, perturbation. */
  @Test
  void everythingTogether() {
    double nu = BalancedInnerLoss.paper().factor(7, 10);
    compare("all", convNet(2, 8), small().synSteps(4)
        .dsaStrategy(DsaConfig.DEFAULT_STRATEGY).innerLoss(BalancedInnerLoss.paper())
        .matchingLoss(IntermediateMatching.linear()).innerMomentum(0.9)
        .startPerturbation(FilterWisePerturbation.paper()), nu);
  }

  /**
   * The whole distiller in both modes, with DSA, AST's pieces and FTD's EMA: the same losses,
   * syn_lr path, images and EMA images; the adjoint mode draws exactly as the full one.
   */
  @Test
  void distillerRunsAgreeBetweenModes() {
    DistillConfig.Builder b = DistillerTest.toy().iterations(4)
        .dsaStrategy(DsaConfig.DEFAULT_STRATEGY).matchingLoss(IntermediateMatching.linear())
        .innerLoss(BalancedInnerLoss.paper()).innerMomentum(0.9)
        .startPerturbation(FilterWisePerturbation.paper()).emaDecay(0.5);
    DistillerTest.Recorder full = new DistillerTest.Recorder();
    DistillState a = distill(b.unroll("full").build(), full);
    DistillerTest.Recorder adjoint = new DistillerTest.Recorder();
    DistillState c = distill(b.unroll("adjoint").build(), adjoint);
    assertEquals(4, full.iterations.size(), "skipped " + full.skipped);
    assertEquals(4, adjoint.iterations.size(), "skipped " + adjoint.skipped);
    double worstLr = 0;
    double worstLoss = 0;
    for (int i = 0; i < 4; i++) {
      IterationResult f = full.iterations.get(i);
      IterationResult j = adjoint.iterations.get(i);
      assertEquals(f.expert(), j.expert());
      assertEquals(f.startEpoch(), j.startEpoch());
      assertEquals(f.synLr(), j.synLr(), RTOL * Math.abs(f.synLr()), "syn_lr at " + i);
      assertEquals(f.loss(), j.loss(), RTOL * Math.abs(f.loss()), "loss at " + i);
      worstLr = Math.max(worstLr, rel(j.synLr(), f.synLr()));
      worstLoss = Math.max(worstLoss, rel(j.loss(), f.loss()));
    }
    double img = assertClose("distiller images", c.set().images(), a.set().images());
    double ema = assertClose("distiller ema", c.imageEma().orElseThrow().images(),
        a.imageEma().orElseThrow().images());
    System.out.printf("adjoint vs full, distiller 4 iterations: max rel syn_lr %.2e, loss %.2e,"
        + " images %.2e, ema %.2e%n", worstLr, worstLoss, img, ema);
  }

  /**
   * Central differences of the float64 adjoint's loss w.r.t. three pixels (the largest
   * gradient among them) and syn_lr, with every piece on.
   */
  @Test
  void float64AdjointMatchesFiniteDifferences() {
    double nu = BalancedInnerLoss.paper().factor(7, 10);
    DistillConfig config = small().synSteps(4).dsaStrategy(DsaConfig.DEFAULT_STRATEGY)
        .innerLoss(BalancedInnerLoss.paper()).matchingLoss(IntermediateMatching.linear())
        .innerMomentum(0.9).build();
    Model model = convNet(2, 4);
    Inputs in = inputs(model, config, 11);
    try (AdjointUnroll adj = AdjointUnroll.float64(model, config, OPTIONS)) {
      MatchingGraph.Draws draws = adj.draw(new SplittableRandom(5));
      double[] x = widen(in.images());
      double[] seg = widen(in.segment());
      double lr = 0.1;
      AdjointUnroll.Sweep s = adj.sweep(x, lr, seg, nu, draws);
      int largest = 0;
      for (int i = 0; i < x.length; i++) {
        if (Math.abs(s.imageGrad()[i]) > Math.abs(s.imageGrad()[largest])) {
          largest = i;
        }
      }
      double worst = 0;
      for (int c : new int[] {largest, 7, 300}) {
        double h = 1e-5;
        double orig = x[c];
        x[c] = orig + h;
        double plus = adj.sweep(x, lr, seg, nu, draws).loss();
        x[c] = orig - h;
        double minus = adj.sweep(x, lr, seg, nu, draws).loss();
        x[c] = orig;
        double numeric = (plus - minus) / (2 * h);
        double analytic = s.imageGrad()[c];
        assertEquals(numeric, analytic, 1e-6 * Math.abs(numeric) + 1e-10, "pixel " + c);
        worst = Math.max(worst, rel(analytic, numeric));
      }
      double h = 1e-6;
      double numeric = (adj.sweep(x, lr + h, seg, nu, draws).loss()
          - adj.sweep(x, lr - h, seg, nu, draws).loss()) / (2 * h);
      assertEquals(numeric, s.lrGrad(), 1e-6 * Math.abs(numeric) + 1e-12, "syn_lr");
      System.out.printf("adjoint float64 vs central differences: loss %.6f, max rel pixels"
          + " %.2e, syn_lr %.2e%n", s.loss(), worst, rel(s.lrGrad(), numeric));
    }
  }

  private static DistillState distill(DistillConfig config, DistillerTest.Recorder rec) {
    Model model = new ConvNet(DistillerTest.SPEC);
    try (Distiller d = new Distiller(model, config, OPTIONS)) {
      return d.run(buffer, d.start(d.initialSet(data)), List.of(rec));
    }
  }

  /** Random images and an expert segment near the model's initialization. */
  record Inputs(float[] images, float[] segment) {}

  static Inputs inputs(Model model, DistillConfig config, long seed) {
    int p = Math.toIntExact(model.layout().totalSize());
    int rows = config.expertEpochs() + 1;
    Random r = new Random(seed);
    float[] w0 = model.initialParams(seed);
    float[] seg = new float[rows * p];
    for (int k = 0; k < rows; k++) {
      for (int i = 0; i < p; i++) {
        seg[k * p + i] = (float) (w0[i] + 0.05 * k * r.nextGaussian());
      }
    }
    float[] start = config.startPerturbation().perturb(java.util.Arrays.copyOf(seg, p),
        model.layout(), new SplittableRandom(seed));
    System.arraycopy(start, 0, seg, 0, p);
    int n = model.spec().numClasses() * config.ipc();
    float[] x = new float[n * SHAPE.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return new Inputs(x, seg);
  }

  /** Full unroll and adjoint on the same inputs and draws. */
  private static void compare(String label, Model model, DistillConfig.Builder builder,
      double nu) {
    DistillConfig config = builder.build();
    Inputs in = inputs(model, config, 17);
    double lr = 0.1;
    MatchingGraph.Gradients full;
    MatchingGraph.Gradients adjoint;
    try (MatchingGraph f = new MatchingGraph(model, config, OPTIONS);
        AdjointUnroll a = AdjointUnroll.float32(model, config, OPTIONS)) {
      MatchingGraph.Draws draws = f.draw(new SplittableRandom(5));
      MatchingGraph.Draws again = a.draw(new SplittableRandom(5));
      assertArrayEquals(draws.batchIndices(), again.batchIndices());
      assertEquals(draws.dsa().size(), again.dsa().size());
      for (int i = 0; i < draws.dsa().size(); i++) {
        assertArrayEquals(draws.dsa().get(i).affine(), again.dsa().get(i).affine());
      }
      full = f.run(in.images(), lr, in.segment(), nu, draws);
      adjoint = a.run(in.images(), lr, in.segment(), nu, draws);
    }
    assertTrue(full.loss() > 0 && Float.isFinite(full.loss()), "loss " + full.loss());
    assertEquals(full.loss(), adjoint.loss(), RTOL * Math.abs(full.loss()), label + " loss");
    assertEquals(full.lrGrad(), adjoint.lrGrad(), RTOL * Math.abs(full.lrGrad()),
        label + " dL/dsyn_lr");
    double img = assertClose(label + " dL/dimages", adjoint.imageGrad(), full.imageGrad());
    System.out.printf("adjoint vs full, %s: loss %.6f (rel %.2e), dL/dsyn_lr %.6g (rel %.2e),"
        + " dL/dimages max rel %.2e%n", label, full.loss(), rel(adjoint.loss(), full.loss()),
        full.lrGrad(), rel(adjoint.lrGrad(), full.lrGrad()), img);
  }

  /** Asserts the tolerance of the class doc; returns the max relative difference. */
  private static double assertClose(String what, float[] actual, float[] expected) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    assertTrue(scale > 0, what + " is all zero");
    double worst = 0;
    int nearZero = 0;
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(actual[i] - expected[i]);
      if (err > RTOL * Math.abs(expected[i])) {
        nearZero++;
      }
      assertTrue(err <= RTOL * Math.abs(expected[i]) + ATOL * scale, String.format(
          "%s[%d]: adjoint %.8g vs full %.8g", what, i, actual[i], expected[i]));
      if (Math.abs(expected[i]) > 1e-2 * scale) {
        worst = Math.max(worst, err / Math.abs(expected[i]));
      }
    }
    System.out.printf("  %s: %d of %d entries within the absolute part only%n", what,
        nearZero, expected.length);
    return worst;
  }

  private static double rel(double a, double b) {
    return b == 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b);
  }

  private static double[] widen(float[] f) {
    double[] out = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = f[i];
    }
    return out;
  }
}
