package org.dd4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.dd4j.augment.Augmentation;
import org.dd4j.augment.DsaAugmentation;
import org.dd4j.augment.DsaConfig;
import org.dd4j.data.ImageSet;
import org.dd4j.data.ToyBands;
import org.dd4j.engine.Grad;
import org.dd4j.engine.Permutations;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.Params;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One GSAM step of the trainer against spec 4a steps 2-6 done in plain Java from the two
 * gradients g = grad L(w) and g_p = grad L(w + e), which the test computes with TensorFlow
 * on the same augmented batch (a fixed mirror, or the trainer's DSA draw replayed).
 */
class GsamStepTest {

  private static final Model MODEL = new ConvNet(ModelSpec.convNet(1, 4,
      new InputShape(8, 8, 1), 4));
  /** A deterministic augmentation (mirror along W), so the test can rebuild the batch. */
  private static final Augmentation MIRROR = (tf, images) -> tf.reverse(images,
      tf.constant(new int[] {2}));

  @Test
  void oneStepMatchesThePlainJavaRule() {
    check(() -> MIRROR, 0);
  }

  /**
   * With DSA (one random group and draw per run), both gradients of the reference are taken on
   * the draw the trainer's step made, so the step matches only if both of the trainer's passes
   * saw that same draw.
   */
  @Test
  void oneStepWithDsaUsesOneDrawForBothPasses() {
    check(() -> new DsaAugmentation(DsaConfig.parse("color_crop_cutout_flip_scale_rotate"),
        MODEL.spec().input(), 0, DsaAugmentation.Pairing.INDEPENDENT), 77);
  }

  /**
   * @param augmentations a fresh augmentation per graph
   * @param drawSeed the augmentation is reseeded with it before each run
   */
  private static void check(Supplier<Augmentation> augmentations, long drawSeed) {
    ImageSet set = ToyBands.bands(32, 3);
    float[] w0 = MODEL.initialParams(5);
    double lr = 0.5;
    double mom = 0.9;
    double wd = 0.01;
    double rho = 0.05;
    double alpha = 0.3;
    Sgd base = Optimizer.sgd(lr).withMomentum(mom).withWeightDecay(wd);
    var training = new Training(1, 32, Optimizer.gsam(base, rho, alpha),
        Objective.crossEntropy(), true);
    float[] w1;
    Augmentation trainerAugmentation = augmentations.get();
    try (NetworkTrainer trainer = new NetworkTrainer(MODEL, training, trainerAugmentation,
        SessionOptions.threads(2))) {
      trainer.reset(w0);
      trainerAugmentation.reseed(drawSeed);
      trainer.trainEpoch(set, Permutations.identity(32), 0, null); // exactly one step
      w1 = trainer.params();
    }

    int p = w0.length;
    double[] g = gradientAt(w0, set, augmentations.get(), drawSeed);
    // 2. n = || |w| * g ||_2;  3. e = rho / (n + 1e-12) * g * w^2
    double n = 0;
    for (int i = 0; i < p; i++) {
      n += Math.pow(Math.abs(w0[i]) * g[i], 2);
    }
    n = Math.sqrt(n);
    float[] wp = new float[p];
    for (int i = 0; i < p; i++) {
      wp[i] = (float) (w0[i] + rho / (n + 1e-12) * g[i] * w0[i] * w0[i]);
    }
    double[] gp = gradientAt(wp, set, augmentations.get(), drawSeed); // 4.
    // 5. cos, v, g_f
    double dot = 0;
    double gg = 0;
    double gpgp = 0;
    for (int i = 0; i < p; i++) {
      dot += g[i] * gp[i];
      gg += g[i] * g[i];
      gpgp += gp[i] * gp[i];
    }
    double gNorm = Math.sqrt(gg);
    double gpNorm = Math.sqrt(gpgp);
    double cos = dot / (gNorm * gpNorm + 1e-12);
    double maxStep = 0;
    double[] expected = new double[p];
    double[] sgdOnly = new double[p];
    for (int i = 0; i < p; i++) {
      double v = g[i] - cos * gNorm * gp[i] / (gpNorm + 1e-12);
      double gf = gp[i] - alpha * v;
      // 6. SGD step at w with g_f; the momentum buffer starts at d on the first step
      expected[i] = -lr * (gf + wd * w0[i]);
      sgdOnly[i] = -lr * (g[i] + wd * w0[i]);
      maxStep = Math.max(maxStep, Math.abs(expected[i]));
    }
    double maxDiffFromSgd = 0;
    for (int i = 0; i < p; i++) {
      double got = (double) w1[i] - w0[i];
      // float32 parameters: the stored w1 carries a rounding of about 6e-8 |w1|
      double tol = 1e-5 * Math.abs(expected[i]) + 1e-6 * maxStep + 1.2e-7 * Math.abs(w1[i]);
      assertEquals(expected[i], got, tol, "parameter " + i);
      maxDiffFromSgd = Math.max(maxDiffFromSgd, Math.abs(expected[i] - sgdOnly[i]));
    }
    // the check must be able to tell GSAM from plain SGD
    assertTrue(maxDiffFromSgd > 1e-3 * maxStep, "GSAM step equals the SGD step: "
        + maxDiffFromSgd + " vs " + maxStep);
    System.out.printf("GSAM step: max |step| %.4g, max |GSAM - SGD| %.4g%n", maxStep,
        maxDiffFromSgd);
  }

  /** grad of the mean CE on the augmented batch at {@code w}, as a flat vector. */
  private static double[] gradientAt(float[] w, ImageSet set, Augmentation aug,
      long drawSeed) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> flat = tf.placeholder(TFloat32.class);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class);
      Placeholder<TInt32> labels = tf.placeholder(TInt32.class);
      Params<TFloat32> params = Params.fromFlat(tf, MODEL.layout(), flat);
      var in = new ObjectiveInputs<>(tf, MODEL, params, images, aug.apply(tf, images),
          labels, new ScheduledScalars<>(tf, TFloat32.class));
      Operand<TFloat32> loss = Objective.crossEntropy().loss(in);
      Operand<TFloat32> grad = Grad.of(tf, loss, List.of(flat)).get(0);
      try (Session s = new Session(graph);
          TFloat32 wt = Tensors.floats(w, w.length);
          TFloat32 xt = Tensors.floats(set.images(), set.count(), 8, 8, 1);
          TInt32 yt = Tensors.ints(set.labels(), set.count())) {
        aug.reseed(drawSeed);
        Session.Runner runner = s.runner().feed(flat, wt).feed(images, xt).feed(labels, yt)
            .fetch(grad);
        try (Augmentation.Feed fed = aug.feed(runner, set.count());
            Result r = runner.run()) {
          float[] f = Tensors.toFloats(r.get(0));
          double[] out = new double[f.length];
          for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
          }
          return out;
        }
      }
    }
  }
}
