package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.dd4j.models.ParamLayout;
import org.dd4j.models.ParamShape;
import org.dd4j.models.Params;
import org.junit.jupiter.api.Test;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/** Matching losses on hand-made paths with values worked out by hand. */
class MatchingLossTest {

  /** One tensor "w" of two values. */
  static final ParamLayout LAYOUT = new ParamLayout(List.of(
      new ParamShape("w", new long[] {2})));

  @Test
  void intermediateMatchPointsAreFloorKNOverM() {
    assertArrayEquals(new int[] {6, 13, 20}, IntermediateMatching.matchPoints(20, 3));
    assertArrayEquals(new int[] {25, 50}, IntermediateMatching.matchPoints(50, 2));
    assertArrayEquals(new int[] {10}, IntermediateMatching.matchPoints(10, 1));
    assertArrayEquals(new int[] {0, 1}, IntermediateMatching.matchPoints(1, 2));
    // 6 / 4 = 1.5 and 18 / 4 = 4.5 round down
    assertArrayEquals(new int[] {1, 3, 4, 6}, IntermediateMatching.matchPoints(6, 4));
  }

  /**
   * Student path w_0..w_4 (N = 4) and expert e_0..e_2 (M = 2): matched at steps 2 and 4.
   * e_0 = (0, 0), e_1 = (1, 0), e_2 = (2, 2); w_2 = (1, 1), w_4 = (2, 0); the other steps
   * are far away so that a wrong index shows. L_1 = ||w_2 - e_1||^2 / ||e_0 - e_1||^2 =
   * 1 / 1; L_2 = ||w_4 - e_2||^2 / ||e_0 - e_2||^2 = 4 / 8.
   */
  @Test
  void intermediateLossMatchesHandComputedValue() {
    double[][] student = {{0, 0}, {9, 9}, {1, 1}, {-9, 7}, {2, 0}};
    double[][] expert = {{0, 0}, {1, 0}, {2, 2}};
    assertEquals(1.0 + 0.5, eval(IntermediateMatching.equal(), student, expert), 1e-12);
    assertEquals(0.5 * 1.0 + 1.0 * 0.5, eval(IntermediateMatching.linear(), student, expert),
        1e-12);
    // MTT's loss uses only w_4 and e_0, e_2
    assertEquals(0.5, eval(new NormalizedParameterDistance(), student, expert), 1e-12);
    // with M = 1 the intermediate loss is MTT's
    double[][] twoEnds = {{0, 0}, {2, 2}};
    assertEquals(eval(new NormalizedParameterDistance(), student, twoEnds),
        eval(IntermediateMatching.equal(), student, twoEnds), 1e-12);
  }

  @Test
  void lossesComposeAndDescribeThemselves() {
    double[][] student = {{0, 0}, {9, 9}, {1, 1}, {-9, 7}, {2, 0}};
    double[][] expert = {{0, 0}, {1, 0}, {2, 2}};
    MatchingLoss sum = new NormalizedParameterDistance().plus(
        IntermediateMatching.equal().times(0.25));
    assertEquals(0.5 + 0.25 * 1.5, eval(sum, student, expert), 1e-12);
    assertEquals("(normalized-parameter-distance + 0.25 * intermediate(weights=equal))",
        sum.describe());
  }

  @Test
  void float32AdapterRunsInFloat32AndRefusesFloat64() {
    MatchingLoss mine = MatchingLoss.float32("final-distance",
        (tf, m) -> NormalizedParameterDistance.squaredDistance(tf, m.studentFinal(),
            m.expertTarget()));
    double[][] student = {{0, 0}, {2, 0}};
    double[][] expert = {{0, 0}, {2, 2}};
    try (EagerSession s = EagerSession.create()) {
      Ops tf = Ops.create(s);
      Matching<TFloat32> m = new Matching<>(params32(tf, student), params32(tf, expert));
      Operand<TFloat32> v = mine.times(2).apply(tf, m);
      assertEquals(8f, v.asTensor().getFloat(), 1e-6f); // 2 * ||(2,0) - (2,2)||^2
    }
    var e = assertThrows(IllegalArgumentException.class, () -> eval(mine, student, expert));
    assertTrue(e.getMessage().contains("final-distance")
        && e.getMessage().contains("float32") && e.getMessage().contains("TFloat64"),
        e.getMessage());
  }

  @Test
  void registryHasTheBuiltInsAndAcceptsNewLosses() {
    assertTrue(MatchingLosses.names().containsAll(List.of("normalized-parameter-distance",
        "intermediate")));
    assertEquals(IntermediateMatching.equal(), MatchingLosses.create("intermediate"));
    MatchingLosses.register("test-half-mtt", () -> new NormalizedParameterDistance().times(0.5));
    assertEquals("0.5 * normalized-parameter-distance",
        MatchingLosses.create("test-half-mtt").describe());
    var e = assertThrows(IllegalArgumentException.class, () -> MatchingLosses.create("nope"));
    assertTrue(e.getMessage().contains("intermediate"), e.getMessage());
  }

  @Test
  void matchingAccessorsNameTheEnds() {
    try (EagerSession s = EagerSession.create()) {
      Ops tf = Ops.create(s);
      var student = params64(tf, new double[][] {{0, 0}, {1, 1}, {2, 2}});
      var expert = params64(tf, new double[][] {{0, 0}, {3, 3}});
      Matching<TFloat64> m = new Matching<>(student, expert);
      assertEquals(2, m.synSteps());
      assertEquals(1, m.expertEpochs());
      assertEquals(student.get(2), m.studentFinal());
      assertEquals(expert.get(0), m.expertStart());
      assertEquals(expert.get(1), m.expertTarget());
      assertThrows(IllegalArgumentException.class,
          () -> new Matching<>(student.subList(0, 1), expert));
    }
  }

  static double eval(MatchingLoss loss, double[][] student, double[][] expert) {
    try (EagerSession s = EagerSession.create()) {
      Ops tf = Ops.create(s);
      return loss.apply(tf, new Matching<>(params64(tf, student), params64(tf, expert)))
          .asTensor().getDouble();
    }
  }

  static List<Params<TFloat64>> params64(Ops tf, double[][] points) {
    return params(points, p -> Params.fromFlat(tf, LAYOUT, tf.constant(p)));
  }

  static List<Params<TFloat32>> params32(Ops tf, double[][] points) {
    return params(points, p -> {
      float[] f = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        f[i] = (float) p[i];
      }
      return Params.fromFlat(tf, LAYOUT, tf.constant(f));
    });
  }

  static <P> List<P> params(double[][] points, Function<double[], P> make) {
    List<P> out = new ArrayList<>();
    for (double[] p : points) {
      out.add(make.apply(p));
    }
    return out;
  }
}
