package org.dd4j.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.dd4j.augment.Augmentation;
import org.dd4j.data.ImageSet;
import org.dd4j.distill.BalancedInnerLoss;
import org.dd4j.distill.FilterWisePerturbation;
import org.dd4j.distill.ImageEma;
import org.dd4j.distill.IntermediateMatching;
import org.dd4j.distill.IntermediateWeights;
import org.dd4j.distill.LayerWisePerturbation;
import org.dd4j.distill.Matching;
import org.dd4j.engine.Permutations;
import org.dd4j.engine.SessionOptions;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.evaluate.Evaluator;
import org.dd4j.models.ParamLayout;
import org.dd4j.models.ParamShape;
import org.dd4j.models.Params;
import org.dd4j.schedule.Schedule;
import org.dd4j.train.GradientPenalty;
import org.dd4j.train.NetworkTrainer;
import org.dd4j.train.Objective;
import org.dd4j.train.Optimizer;
import org.dd4j.train.Sgd;
import org.dd4j.train.Training;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * dd4j's AST / FTD / evaluation pieces against the authors' own PyTorch code run on fixed
 * small inputs (golden/ast_ftd.json, written by tools/golden/ast_pieces.py; see
 * tools/golden/README-ast-ftd.md). Float32 results are compared at a relative tolerance of
 * 1e-4; steps are compared as the update w1 - w0, so the tolerance applies to the step.
 */
class GoldenAstFtdTest {

  private static final double RTOL = 1e-4;
  private static JsonNode fixture;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = GoldenAstFtdTest.class.getResourceAsStream("/golden/ast_ftd.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
  }

  /** nu for every start epoch t in [0, T+): the code (log base 5, T+ // 2) and eq. 20. */
  @Test
  void balancedFactorForEveryStartEpoch() {
    int checked = 0;
    for (JsonNode c : fixture.get("balanced")) {
      int maxStart = c.get("max_start_epoch").asInt();
      for (int t = 0; t < maxStart; t++) {
        double code = c.get("code").get(t).asDouble();
        double paper = c.get("paper").get(t).asDouble();
        assertEquals(code, BalancedInnerLoss.authorsCode().factor(t, maxStart),
            1e-8 * code, "code, T+ " + maxStart + ", t " + t);
        assertEquals(paper, BalancedInnerLoss.paper().factor(t, maxStart), 1e-8 * paper,
            "paper, T+ " + maxStart + ", t " + t);
        checked++;
      }
    }
    assertTrue(checked > 100, "checked " + checked);
  }

  /** AST's weightPerturb with torch.normal returning the fixture's d; eq. 23 with that d. */
  @Test
  void perturbationsWithAGivenD() {
    JsonNode p = fixture.get("perturbation");
    List<ParamShape> shapes = new ArrayList<>();
    List<double[]> w = new ArrayList<>();
    List<double[]> d = new ArrayList<>();
    List<double[]> code = new ArrayList<>();
    List<double[]> paper = new ArrayList<>();
    for (int k = 0; k < p.get("shapes").size(); k++) {
      long[] torchShape = longs(p.get("shapes").get(k));
      shapes.add(new ParamShape("p" + k, torchShape.length == 4 ? hwio(torchShape)
          : torchShape));
      w.add(toDd4j(torchShape, doubles(p.get("w").get(k))));
      d.add(toDd4j(torchShape, doubles(p.get("d").get(k))));
      code.add(toDd4j(torchShape, doubles(p.get("code").get(k))));
      paper.add(toDd4j(torchShape, doubles(p.get("paper").get(k))));
    }
    ParamLayout layout = new ParamLayout(shapes);
    float[] w0 = toFloats(concat(w));
    double[] noise = concat(d);
    float[] gotCode = new LayerWisePerturbation(p.get("code_alpha").asDouble())
        .perturbWith(w0, layout, noise);
    float[] gotPaper = new FilterWisePerturbation(p.get("paper_rho").asDouble())
        .perturbWith(w0, layout, noise);
    assertClose(concat(code), gotCode, "layer-wise (code)");
    assertClose(concat(paper), gotPaper, "filter-wise (paper)");
  }

  /**
   * --agg_middle_loss (beta 1) and --adaptive_middle_loss (beta k / M) on given students, at
   * the code's points (N // M) * k; the default even points differ from the code where M
   * does not divide N (N 5, M 3).
   */
  @Test
  void intermediateMatching() {
    JsonNode fx = fixture.get("intermediate");
    int p = fx.get("params").asInt();
    ParamLayout layout = new ParamLayout(List.of(new ParamShape("w", new long[] {p})));
    for (JsonNode c : fx.get("cases")) {
      int n = c.get("syn_steps").asInt();
      int m = c.get("expert_epochs").asInt();
      IntermediateMatching loss = new IntermediateMatching(c.get("weights").asText()
          .equals("agg") ? IntermediateWeights.EQUAL : IntermediateWeights.LINEAR,
          IntermediateMatching.Points.CODE);
      assertEquals(c.get("match_pool").toString(), java.util.Arrays.toString(
          java.util.Arrays.copyOf(IntermediateMatching.matchPoints(n, m, loss.points()), m - 1))
          .replace(" ", ""), "code's points, N " + n + ", M " + m);
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        List<Params<TFloat32>> student = new ArrayList<>();
        for (JsonNode s : c.get("student")) {
          student.add(constant(tf, layout, s));
        }
        List<Params<TFloat32>> expert = new ArrayList<>();
        expert.add(constant(tf, layout, c.get("start"))); // the (perturbed) start
        for (int k = 1; k <= m; k++) {
          expert.add(constant(tf, layout, c.get("expert").get(k)));
        }
        Operand<TFloat32> l = loss.apply(tf, new Matching<>(student, expert));
        try (Session s = new Session(g); Result r = s.runner().fetch(l).run()) {
          double want = c.get("loss").asDouble();
          assertEquals(want, ((TFloat32) r.get(0)).getFloat(), RTOL * want,
              "N " + n + ", M " + m + ", " + c.get("weights").asText() + ", code points "
                  + c.get("match_pool"));
        }
      }
    }
  }

  /**
   * One expert step of AST's epoch_gp (per-pixel norm, mu 2, lambda_e from buffer.py's list)
   * and of the paper's loss (per-sample norm, mu 1, lambda_e over 5 epochs), SGD momentum 0.9,
   * weight decay 1e-3, at epochs 0, 3 and 12 of the ramps.
   */
  @Test
  void astExpertStepBothPenaltiesAndTheRamp() {
    JsonNode a = fixture.get("ast_step");
    JsonNode ramp = a.get("code_ramp");
    for (int e = 0; e < 12; e++) {
      double want = e < ramp.size() ? ramp.get(e).asDouble() : 1;
      assertEquals(want, astCodeRamp().at(e), 1e-12, "code lambda_e at " + e);
      assertEquals(Math.min(1, 0.5 + 0.1 * e), astPaperRamp().at(e), 1e-12,
          "paper lambda_e at " + e);
    }
    Sgd sgd = Optimizer.sgd(a.get("lr").asDouble())
        .withMomentum(a.get("momentum").asDouble())
        .withWeightDecay(a.get("weight_decay").asDouble());
    Objective code = Objective.crossEntropy(astCodeRamp())
        .plus(Objective.gradientPenalty(2, 1, GradientPenalty.Norm.PER_PIXEL));
    Objective paper = Objective.crossEntropy(astPaperRamp())
        .plus(Objective.gradientPenalty(1, 1, GradientPenalty.Norm.PER_SAMPLE));
    float[] w0 = toFloats(doubles(a.get("w0")));
    for (JsonNode s : a.get("steps")) {
      int epoch = s.get("epoch").asInt();
      float[] gotCode = oneStep(new Training(epoch + 1, batch(), sgd, code, false), w0,
          a.get("labels"), epoch);
      float[] gotPaper = oneStep(new Training(epoch + 1, batch(), sgd, paper, false),
          w0, a.get("labels"), epoch);
      assertStepClose(w0, doubles(s.get("code")), gotCode, "code, epoch " + epoch);
      assertStepClose(w0, doubles(s.get("paper")), gotPaper, "paper, epoch " + epoch);
    }
  }

  /** One step of FTD's GSAM class (adaptive, base SGD without momentum). */
  @Test
  void gsamExpertStep() {
    for (JsonNode g : fixture.get("gsam_steps")) {
      Sgd base = Optimizer.sgd(g.get("lr").asDouble());
      var training = new Training(1, batch(), Optimizer.gsam(base,
          g.get("rho").asDouble(), g.get("alpha").asDouble()), Objective.crossEntropy(),
          false);
      float[] w0 = toFloats(doubles(g.get("w0")));
      float[] got = oneStep(training, w0, g.get("labels"), 0);
      double[] want = doubles(g.get("after"));
      String what = "rho " + g.get("rho") + ", alpha " + g.get("alpha");
      assertStepClose(w0, want, got, what);
      // the tolerance must be able to tell GSAM from the plain SGD step
      double[] sgd = doubles(g.get("sgd_after"));
      double gap = 0;
      double step = 0;
      for (int i = 0; i < w0.length; i++) {
        gap = Math.max(gap, Math.abs(want[i] - sgd[i]));
        step = Math.max(step, Math.abs(want[i] - w0[i]));
      }
      assertTrue(gap > 100 * RTOL * step, what + ": GSAM - SGD " + gap + ", step " + step);
    }
  }

  /** FTD's ModelEmaV2 over the images: ema <- d * ema + (1 - d) * images. */
  @Test
  void imageEma() {
    JsonNode e = fixture.get("image_ema");
    List<float[]> images = new ArrayList<>();
    for (JsonNode i : e.get("images")) {
      images.add(toFloats(doubles(i)));
    }
    for (JsonNode run : e.get("ema")) {
      ImageEma ema = new ImageEma(run.get("decay").asDouble());
      ImageEma.State state = ema.init(images.get(0));
      for (int s = 1; s < images.size(); s++) {
        state = ema.update(images.get(s), state);
        assertClose(doubles(run.get("after_updates").get(s - 1)), state.images(),
            "decay " + run.get("decay") + ", update " + s);
      }
    }
  }

  /**
   * MTT's evaluate_synset, pass by pass: E + 1 passes, the lr, and where its optimizer is
   * re-created (momentum buffer empty at the start of the pass).
   */
  @Test
  void evaluationScheduleIsEvaluateSynsets() {
    for (JsonNode c : fixture.get("evaluation")) {
      int epochs = c.get("epoch_eval_train").asInt();
      EvalConfig config = new EvalConfig(epochs, 256, 0.9, 5e-4, 1, "none", 0);
      Training t = Evaluator.training(config, 0.01);
      assertEquals(c.get("passes").asInt(), t.epochs(), "passes for E " + epochs);
      Sgd sgd = t.optimizer().sgd();
      for (int pass = 0; pass < t.epochs(); pass++) {
        String at = "E " + epochs + ", pass " + pass;
        assertEquals(c.get("lr").get(pass).asDouble(), t.lrSchedule().at(pass), 1e-12, at);
        boolean restarted = c.get("new_optimizer").get(pass).asBoolean();
        assertEquals(restarted, sgd.restartsMomentumAt(pass), at);
        // a pass starts with an empty buffer: the first, and the re-created optimizer's
        assertEquals(c.get("momentum_fresh").get(pass).asBoolean(), pass == 0 || restarted,
            at);
      }
    }
  }

  private static Schedule astCodeRamp() {
    return Schedule.linearRamp(0.5, 1.0, 10); // Objective.astCodeLossRamp()
  }

  private static Schedule astPaperRamp() {
    return Schedule.linearRamp(0.5, 1.0, 5); // Objective.astLossRamp()
  }

  private static int batch() {
    return fixture.get("mlp").get("batch").asInt();
  }

  private static GoldenMlp mlp() {
    JsonNode m = fixture.get("mlp");
    return new GoldenMlp(m.get("height").asInt(), m.get("width").asInt(),
        m.get("channels").asInt(), m.get("hidden").asInt(), m.get("classes").asInt());
  }

  /** The generator's batch: formula(B * D, 0.291, 0.9), NHWC. */
  private static ImageSet batchSet(JsonNode labels) {
    JsonNode m = fixture.get("mlp");
    int h = m.get("height").asInt();
    int w = m.get("width").asInt();
    int c = m.get("channels").asInt();
    int b = batch();
    float[] x = toFloats(formula(b * h * w * c, 0.291, 0.9));
    int[] y = new int[b];
    for (int i = 0; i < b; i++) {
      y[i] = labels.get(i).asInt();
    }
    return new ImageSet(x, y, h, w, c);
  }

  /** One trainer step (one batch, the whole set) at {@code epoch} from w0. */
  private static float[] oneStep(Training training, float[] w0, JsonNode labels,
      int epoch) {
    ImageSet set = batchSet(labels);
    try (NetworkTrainer trainer = new NetworkTrainer(mlp(), training, Augmentation.none(),
        SessionOptions.threads(2))) {
      trainer.reset(w0);
      trainer.trainEpoch(set, Permutations.identity(set.count()), epoch, null);
      return trainer.params();
    }
  }

  /** sin(a i + b) / 2 + cos(1.7 a i) / 4, as the generator's formula(). */
  static double[] formula(int n, double a, double b) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = Math.sin(a * i + b) * 0.5 + 0.25 * Math.cos(1.7 * a * i);
    }
    return out;
  }

  private static Params<TFloat32> constant(Ops tf, ParamLayout layout, JsonNode values) {
    return new Params<>(layout, List.of(tf.constant(toFloats(doubles(values)))));
  }

  private static void assertClose(double[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what);
    double max = 0;
    for (double v : want) {
      max = Math.max(max, Math.abs(v));
    }
    for (int i = 0; i < want.length; i++) {
      double tol = RTOL * Math.max(Math.abs(want[i]), 1e-3 * max);
      assertEquals(want[i], got[i], tol, what + ", value " + i);
    }
  }

  /** Compares the update w1 - w0 at RTOL (per value, floored at 1e-2 of the largest). */
  private static void assertStepClose(float[] w0, double[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what);
    double max = 0;
    for (int i = 0; i < want.length; i++) {
      max = Math.max(max, Math.abs(want[i] - w0[i]));
    }
    assertTrue(max > 0, what + ": no step");
    for (int i = 0; i < want.length; i++) {
      double wantStep = want[i] - w0[i];
      // float32 parameters: w1 itself carries a rounding of about 6e-8 |w1|
      double tol = RTOL * Math.max(Math.abs(wantStep), 1e-2 * max) + 1.2e-7 * Math.abs(want[i]);
      assertEquals(wantStep, got[i] - (double) w0[i], tol, what + ", parameter " + i);
    }
  }

  private static long[] hwio(long[] oihw) {
    return new long[] {oihw[2], oihw[3], oihw[1], oihw[0]};
  }

  /** A PyTorch tensor's values in dd4j's layout: OIHW conv weights to HWIO, others as is. */
  private static double[] toDd4j(long[] torchShape, double[] v) {
    if (torchShape.length != 4) {
      return v;
    }
    int o = (int) torchShape[0];
    int in = (int) torchShape[1];
    int kh = (int) torchShape[2];
    int kw = (int) torchShape[3];
    double[] out = new double[v.length];
    for (int a = 0; a < o; a++) {
      for (int i = 0; i < in; i++) {
        for (int y = 0; y < kh; y++) {
          for (int x = 0; x < kw; x++) {
            out[((y * kw + x) * in + i) * o + a] = v[((a * in + i) * kh + y) * kw + x];
          }
        }
      }
    }
    return out;
  }

  private static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }

  private static long[] longs(JsonNode a) {
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asLong();
    }
    return out;
  }

  private static float[] toFloats(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  private static double[] concat(List<double[]> parts) {
    int n = parts.stream().mapToInt(x -> x.length).sum();
    double[] out = new double[n];
    int at = 0;
    for (double[] x : parts) {
      System.arraycopy(x, 0, out, at, x.length);
      at += x.length;
    }
    return out;
  }
}
