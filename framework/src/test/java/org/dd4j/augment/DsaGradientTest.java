package org.dd4j.augment;

import java.util.List;
import java.util.function.Function;
import org.dd4j.augment.DsaParams.AlignCorners;
import org.dd4j.engine.Grad;
import org.dd4j.engine.GradientCheck;
import org.dd4j.engine.Tensors;
import org.dd4j.models.InputShape;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * d/d(images) of every op against central finite differences (float64, all coordinates of a
 * 2 x 4 x 5 x 2 batch), through f = sum(r * dsa(x)); and a second derivative through the
 * resampling (gather) and colour parts, f = sum(r2 * d/dx sum(r * dsa(x)^2)).
 */
class DsaGradientTest {

  private static final int B = 2;
  private static final int H = 4;
  private static final int W = 5;
  private static final int C = 2;
  private static final int N = B * H * W * C;
  private static final double STEP = 1e-6;
  private static final double RTOL = 1e-6;
  private static final double ATOL = 1e-9;

  private static List<DsaParams> cases() {
    AlignCorners a = AlignCorners.FALSE;
    Function<String, DsaParams.Builder> b = name -> DsaParams.builder(name, B, H, W);
    return List.of(
        b.apply("brightness").brightness(0, 0.3).brightness(1, -0.2).build(),
        b.apply("saturation").saturation(0, 1.6).saturation(1, 0.3).build(),
        b.apply("contrast").contrast(0, 0.7).contrast(1, 1.4).build(),
        b.apply("color").brightness(0, 0.1).saturation(0, 1.2).contrast(0, 0.8)
            .brightness(1, -0.3).saturation(1, 0.5).contrast(1, 1.1).build(),
        b.apply("crop").crop(0, 1, -1).crop(1, -1, 2).build(),
        b.apply("cutout").cutout(0, -1, 1, 2, 4).cutout(1, 1, 3, 3, 6).build(),
        b.apply("flip").flip(0).build(),
        b.apply("scale").scale(0, 1.13, 0.87, a).scale(1, 0.91, 1.17, a).build(),
        b.apply("rotate").rotate(0, 13.3, a).rotate(1, -9.1, a).build());
  }

  private static void feed(GradientCheck gc, DsaFeeds<TFloat64> feeds, DsaParams p,
      List<AutoCloseable> owned) {
    var color = Tensors.doubles(p.color(), B, 4);
    var affine = Tensors.doubles(p.affine(), B, 6);
    var cutout = Tensors.doubles(p.cutout(), B, 4);
    owned.addAll(List.of(color, affine, cutout));
    gc.feedAlso(r -> r.feed(feeds.color(), color).feed(feeds.affine(), affine)
        .feed(feeds.cutout(), cutout));
  }

  @Test
  void firstOrderMatchesFiniteDifferencesForEveryOp() throws Exception {
    try (GradientCheck gc = new GradientCheck()) {
      Ops tf = gc.tf();
      Placeholder<TFloat64> x = gc.input(GradientCheck.random(2, N, -1, 1), B, H, W, C);
      DsaFeeds<TFloat64> feeds = DsaFeeds.create(tf, TFloat64.class, new InputShape(H, W, C));
      Operand<TFloat64> f = gc.randomProjection(Dsa.apply(tf, x, feeds), N, 3, B, H, W, C);
      Operand<TFloat64> g = Grad.of(tf, f, List.of(x)).get(0);
      for (DsaParams p : cases()) {
        List<AutoCloseable> owned = new java.util.ArrayList<>();
        try {
          feed(gc, feeds, p, owned);
          gc.check(f, x, g, N, STEP, RTOL, ATOL, 4);
        } finally {
          for (AutoCloseable t : owned) {
            t.close();
          }
        }
      }
    }
  }

  @Test
  void secondOrderMatchesFiniteDifferences() throws Exception {
    try (GradientCheck gc = new GradientCheck()) {
      Ops tf = gc.tf();
      Placeholder<TFloat64> x = gc.input(GradientCheck.random(5, N, -1, 1), B, H, W, C);
      DsaFeeds<TFloat64> feeds = DsaFeeds.create(tf, TFloat64.class, new InputShape(H, W, C));
      Operand<TFloat64> y = Dsa.apply(tf, x, feeds);
      Operand<TFloat64> f1 = gc.randomProjection(tf.math.square(y), N, 6, B, H, W, C);
      Operand<TFloat64> g1 = Grad.of(tf, f1, List.of(x)).get(0);
      Operand<TFloat64> f2 = gc.randomProjection(g1, N, 7, B, H, W, C);
      Operand<TFloat64> g2 = Grad.of(tf, f2, List.of(x)).get(0);
      DsaParams p = DsaParams.builder("rotate+color", B, H, W)
          .rotate(0, 10, AlignCorners.FALSE).saturation(0, 1.3).contrast(0, 0.8)
          .crop(1, 1, 1).brightness(1, 0.2).contrast(1, 1.2).build();
      List<AutoCloseable> owned = new java.util.ArrayList<>();
      try {
        feed(gc, feeds, p, owned);
        gc.check(f2, x, g2, N, STEP, RTOL, ATOL, 8);
      } finally {
        for (AutoCloseable t : owned) {
          t.close();
        }
      }
    }
  }
}
