package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dd4j.augment.DsaConfig;
import org.dd4j.augment.DsaFeeds;
import org.dd4j.augment.DsaParams;
import org.dd4j.augment.DsaSampler;
import org.dd4j.engine.Grad;
import org.dd4j.engine.GradientCheck;
import org.dd4j.engine.Tensors;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.Params;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * The whole second-order path: MTT's normalized matching loss after N unrolled student
 * steps, differentiated w.r.t. synthetic pixels and syn_lr, against central differences.
 */
class UnrolledMatchingLossGradientTest {

  @Test
  void matchesFiniteDifferencesForPixelsAndSynLr() {
    for (InputShape shape : List.of(new InputShape(8, 8, 3), new InputShape(12, 12, 1))) {
      check(shape);
    }
  }

  /**
   * The unroll with DSA on every step's minibatch, each step fed a fixed draw of another
   * group (colour, rotation with bilinear taps, cutout), w.r.t. pixels and syn_lr.
   */
  @Test
  void matchesFiniteDifferencesWithDsaInsideTheUnroll() {
    check(new InputShape(8, 8, 3), List.of("color", "rotate", "cutout"));
  }

  /**
   * AST's pieces together: the intermediate matching loss (eq. 22, linear weights, so that
   * both terms and their betas count) over M = 2 expert epochs, the balanced inner-loss
   * factor (eq. 20) on every step's cross-entropy, and inner momentum 0.9 (authors' code).
   */
  @Test
  void matchesFiniteDifferencesWithIntermediateMatchingBalancedLossAndInnerMomentum() {
    double nu = BalancedInnerLoss.paper().factor(3, 10); // 1 / ln(2 + 8), < 1
    double worst = check(new InputShape(8, 8, 3), List.of(), IntermediateMatching.linear(), nu,
        0.9);
    assertTrue(worst < 1e-5, "worst relative error " + worst);
  }

  private static void check(InputShape shape) {
    check(shape, List.of());
  }

  private static void check(InputShape shape, List<String> dsaGroups) {
    double worst = check(shape, dsaGroups, new NormalizedParameterDistance(), 1, 0);
    assertTrue(worst < 1e-5, "worst relative error " + worst);
  }

  /**
   * @param dsaGroups empty, or one DSA group name per step
   * @param matching the loss on the student path and the expert segment traj[t..t+2]
   * @param innerFactor nu multiplying every step's cross-entropy (1 = none)
   * @param innerMomentum the student's heavy-ball momentum (0 = plain SGD)
   * @return the worst relative error over the checked pixels and syn_lr
   */
  private static double check(InputShape shape, List<String> dsaGroups, MatchingLoss matching,
      double innerFactor, double innerMomentum) {
    Model model = new ConvNet(ModelSpec.convNet(2, 4, shape, 3));
    int n = 6; // synthetic images
    int steps = 3;
    int p = Math.toIntExact(model.layout().totalSize());
    float[] init = model.initialParams(3);
    double[] w0 = new double[p];
    double[] middle = new double[p];
    double[] target = new double[p];
    java.util.Random r = new java.util.Random(4);
    for (int i = 0; i < p; i++) {
      w0[i] = init[i];
      target[i] = init[i] + 0.05 * r.nextGaussian();
      middle[i] = 0.5 * (w0[i] + target[i]) + 0.01 * r.nextGaussian();
    }
    try (GradientCheck gc = new GradientCheck()) {
      Ops tf = gc.tf();
      Placeholder<TFloat64> images = gc.input(GradientCheck.random(5, n * shape.size(), 0, 1),
          n, shape.height(), shape.width(), shape.channels());
      Placeholder<TFloat64> synLr = gc.input(new double[] {0.05});
      Placeholder<TFloat64> start = gc.input(w0, p);
      Placeholder<TFloat64> mid = gc.input(middle, p);
      Placeholder<TFloat64> end = gc.input(target, p);
      var labels = tf.placeholder(TInt32.class);
      var batches = tf.placeholder(TInt32.class);
      int[] lab = {0, 1, 2, 0, 1, 2};
      int[] idx = {0, 1, 2, 3, 4, 5, 5, 3, 1}; // 3 steps of 3 images
      List<DsaFeeds<TFloat64>> feeds = new ArrayList<>();
      List<Tensor> draws = new ArrayList<>();
      java.util.SplittableRandom drawRng = new java.util.SplittableRandom(8);
      for (String group : dsaGroups) {
        DsaFeeds<TFloat64> f = DsaFeeds.create(tf, TFloat64.class, shape);
        DsaParams d = new DsaSampler(DsaConfig.parse(group)).draw(drawRng, 3, shape.height(),
            shape.width());
        feeds.add(f);
        draws.add(Tensors.doubles(d.color(), 3, 4));
        draws.add(Tensors.doubles(d.affine(), 3, 6));
        draws.add(Tensors.doubles(d.cutout(), 3, 4));
      }
      gc.feedAlso(run -> {
        run.feed(labels, Tensors.ints(lab, n)).feed(batches, Tensors.ints(idx, steps, 3));
        for (int i = 0; i < feeds.size(); i++) {
          run.feed(feeds.get(i).color(), draws.get(3 * i))
              .feed(feeds.get(i).affine(), draws.get(3 * i + 1))
              .feed(feeds.get(i).cutout(), draws.get(3 * i + 2));
        }
      });
      Params<TFloat64> ws = Params.fromFlat(tf, model.layout(), start);
      Params<TFloat64> wm = Params.fromFlat(tf, model.layout(), mid);
      Params<TFloat64> wt = Params.fromFlat(tf, model.layout(), end);
      var options = new StudentUnroll.Options<TFloat64>(innerFactor == 1 ? Optional.empty()
          : Optional.of(tf.constant(innerFactor)), innerMomentum);
      List<Params<TFloat64>> path = StudentUnroll.unroll(tf, model, ws, images, labels, batches,
          synLr, steps, feeds, options);
      Operand<TFloat64> loss = matching.apply(tf, new Matching<>(path, List.of(ws, wm, wt)));
      var g = Grad.of(tf, loss, List.of(images, synLr));
      double lossValue = gc.value(loss);
      assertTrue(lossValue > 0 && Double.isFinite(lossValue), "loss " + lossValue);
      double errPix = gc.check(loss, images, g.get(0), 12, 1e-5, 1e-5, 1e-9, 6);
      double errLr = gc.check(loss, synLr, g.get(1), 1, 1e-6, 1e-6, 1e-12, 7);
      draws.forEach(Tensor::close);
      System.out.printf("unrolled matching loss %s, dsa %s, %s, nu %.4f, inner momentum %s:"
          + " loss %.6f, worst rel err pixels %.2e, syn_lr %.2e%n", shape, dsaGroups,
          matching.describe(), innerFactor, innerMomentum, lossValue, errPix, errLr);
      return Math.max(errPix, errLr);
    }
  }
}
